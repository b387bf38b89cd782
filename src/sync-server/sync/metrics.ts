/**
 * Counters, gauges and one histogram for the sync service, rendered in the Prometheus text
 * exposition format (version 0.0.4). Kept dependency-free: SERVER's `/metrics` route
 * concatenates this text with its own.
 */

const PERSIST_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A histogram with fixed buckets. */
class Histogram {
  readonly counts = new Array<number>(PERSIST_BUCKETS_SECONDS.length).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    for (let i = 0; i < PERSIST_BUCKETS_SECONDS.length; i++) {
      if (seconds <= PERSIST_BUCKETS_SECONDS[i]!) this.counts[i]! += 1;
    }
  }

  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    PERSIST_BUCKETS_SECONDS.forEach((le, i) => lines.push(`${name}_bucket{le="${le}"} ${this.counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines.join('\n');
  }
}

/** Why a connection was closed or refused, as a metric label. */
export type CloseReason =
  | 'client'
  | 'malformed'
  | 'unknown_type'
  | 'too_large'
  | 'rate_limited'
  | 'slow_consumer'
  | 'shutdown'
  | 'revoked'
  | 'error'
  /** Access withdrawn while connected (the room's rule now says `none`). */
  | 'forbidden';

/** The sync service's metrics; fields are updated in place by the service. */
export class SyncMetrics {
  connections = 0;
  roomsLoaded = 0;
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  readOnlyUpdatesDropped = 0;
  writeRevoked = 0;
  awarenessEntriesRejected = 0;
  updatesPersisted = 0;
  persistBatches = 0;
  persistFailures = 0;
  compactions = 0;
  roomsUnloaded = 0;
  pubsubMessagesIn = 0;
  pubsubMessagesOut = 0;
  readonly refused = new Map<number, number>();
  readonly closed = new Map<CloseReason, number>();
  readonly persistLatency = new Histogram();

  countRefused(status: number): void {
    this.refused.set(status, (this.refused.get(status) ?? 0) + 1);
  }

  countClosed(reason: CloseReason): void {
    this.closed.set(reason, (this.closed.get(reason) ?? 0) + 1);
  }

  /** The metrics as Prometheus text, ending with a newline. */
  render(): string {
    const blocks: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number): void => {
      blocks.push(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`);
    };
    const labelled = (name: string, help: string, label: string, values: Map<string | number, number>): void => {
      const rows = [...values].map(([key, value]) => `${name}{${label}="${key}"} ${value}`);
      blocks.push([`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...rows].join('\n'));
    };
    metric('xietong_sync_connections', 'gauge', 'Open sync WebSocket connections.', this.connections);
    metric('xietong_sync_rooms_loaded', 'gauge', 'Rooms held in memory.', this.roomsLoaded);
    metric('xietong_sync_messages_in_total', 'counter', 'WebSocket messages received from clients.', this.messagesIn);
    metric('xietong_sync_messages_out_total', 'counter', 'WebSocket messages sent to clients.', this.messagesOut);
    metric('xietong_sync_bytes_in_total', 'counter', 'Bytes received from clients.', this.bytesIn);
    metric('xietong_sync_bytes_out_total', 'counter', 'Bytes sent to clients.', this.bytesOut);
    metric('xietong_sync_readonly_updates_dropped_total', 'counter', 'Updates from read-only members, dropped unapplied.', this.readOnlyUpdatesDropped);
    metric('xietong_sync_write_revoked_total', 'counter', 'Connections that lost their write right while open (the room changed access).', this.writeRevoked);
    metric(
      'xietong_sync_awareness_rejected_total',
      'counter',
      'Awareness entries dropped because they named a client another person announced.',
      this.awarenessEntriesRejected,
    );
    metric('xietong_sync_updates_persisted_total', 'counter', 'Updates written to the store.', this.updatesPersisted);
    metric('xietong_sync_persist_batches_total', 'counter', 'Group commits to the store.', this.persistBatches);
    metric('xietong_sync_persist_failures_total', 'counter', 'Group commits that failed.', this.persistFailures);
    metric('xietong_sync_compactions_total', 'counter', 'Rooms compacted into one update.', this.compactions);
    metric('xietong_sync_rooms_unloaded_total', 'counter', 'Idle rooms unloaded from memory.', this.roomsUnloaded);
    metric('xietong_sync_pubsub_messages_in_total', 'counter', 'Messages received from other instances.', this.pubsubMessagesIn);
    metric('xietong_sync_pubsub_messages_out_total', 'counter', 'Messages published to other instances.', this.pubsubMessagesOut);
    labelled('xietong_sync_connections_refused_total', 'Upgrades refused, by HTTP status.', 'status', this.refused);
    labelled('xietong_sync_connections_closed_total', 'Connections closed, by reason.', 'reason', this.closed);
    blocks.push(this.persistLatency.render('xietong_sync_persist_latency_seconds', 'Time from receiving an update to its commit.'));
    return `${blocks.join('\n')}\n`;
  }
}
