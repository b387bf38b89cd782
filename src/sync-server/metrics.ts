/**
 * A minimal Prometheus text-format registry for the server's own figures (HTTP requests, logins).
 * `GET /metrics` prints it followed by the sync service's own text.
 */
type Labels = Record<string, string>;

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
  read?: () => number;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  /** A counter (created on first use; the same name returns the same counter). */
  counter(name: string, help: string): Counter {
    const family = this.family(name, help, 'counter');
    return {
      inc: (labels = {}, by = 1) => {
        const key = labelText(labels);
        family.values.set(key, (family.values.get(key) ?? 0) + by);
      },
    };
  }

  /** A gauge read when metrics are rendered. */
  gauge(name: string, help: string, read: () => number): void {
    this.family(name, help, 'gauge').read = read;
  }

  private family(name: string, help: string, type: Family['type']): Family {
    let family = this.families.get(name);
    if (!family) {
      family = { name, help, type, values: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  /** Prometheus text exposition format. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.families.values()) {
      lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
      if (family.read) lines.push(`${family.name} ${family.read()}`);
      for (const [labels, value] of family.values) lines.push(`${family.name}${labels} ${value}`);
    }
    return lines.join('\n') + '\n';
  }
}
