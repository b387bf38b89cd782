/** The demo organisation of INTERFACES.md: exact people, idempotent seeding, the demo CA and certificates. */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startTestServer, tempDir, type TestServer } from './helpers';

const expected = [
  ['admin', '系统管理员', '市政府办公室', ['admin']],
  ['wang', '王建国', '市政府办公室', ['leader']],
  ['li', '李文', '市政府办公室', ['staff']],
  ['zhao', '赵敏', '市政府办公室', ['clerk']],
  ['chen', '陈静', '市发展和改革委员会', ['clerk']],
  ['liu', '刘强', '市发展和改革委员会', ['leader']],
  ['sun', '孙磊', '市发展和改革委员会', ['staff']],
] as const;

describe('demo organisation', () => {
  const data = tempDir('xt-demo-');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dataDir: data.dir, demoCertificates: true });
  });
  afterAll(async () => {
    await server.close();
    data.cleanup();
  });

  it('has exactly the people of INTERFACES.md, each signing in with demo1234', async () => {
    for (const [username, name, unitName, roles] of expected) {
      const response = await call<{ user: Record<string, unknown> }>(server.url, 'POST', '/api/auth/login', { json: { username, password: 'demo1234' } });
      expect(response.status, username).toBe(200);
      expect(response.body.user).toMatchObject({ username, name, unitName, roles: [...roles], mustChangePassword: false });
    }
    const token = await login(server.url, 'admin');
    const users = await call<{ items: { username: string }[] }>(server.url, 'GET', '/api/directory/users', { token });
    expect(users.body.items.map((u) => u.username)).toEqual(expected.map(([username]) => username));
  });

  it('creates the demo CA and a PKCS#12 per person (password demo1234), and trusts the root', async () => {
    const rootPem = readFileSync(join(data.dir, 'demo', 'ca', 'root.pem'), 'utf8');
    const root = new X509Certificate(rootPem);
    expect(root.ca).toBe(true);
    for (const [username, name] of expected) {
      const file = join(data.dir, 'demo', 'certs', `${username}.p12`);
      expect(existsSync(file), file).toBe(true);
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(readFileSync(file).toString('binary')), 'demo1234');
      const certBag: string = forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3';
      const bags: forge.pkcs12.Bag[] = p12.getBags({ bagType: certBag })[certBag] ?? [];
      const certificates = bags.flatMap((bag) => (bag.cert ? [bag.cert] : []));
      // The person's certificate is the one not issued by itself (the bag also holds the CA's).
      const personal = certificates.find((c) => !c.isIssuer(c));
      expect(personal).toBeDefined();
      const der = forge.asn1.toDer(forge.pki.certificateToAsn1(personal!)).getBytes();
      const x509 = new X509Certificate(Buffer.from(der, 'binary'));
      expect(x509.verify(root.publicKey), `${username} issued by the demo root`).toBe(true);
      expect(x509.subject).toContain(name);
    }
    expect((await server.deps.accounts.trustedRoots()).map((r) => r.pem)).toEqual([rootPem]);
  });

  it('seeds only an empty store and never touches existing people or certificates', async () => {
    const rootBefore = readFileSync(join(data.dir, 'demo', 'ca', 'root.pem'), 'utf8');
    await server.deps.accounts.resetPassword('li');
    await server.close();
    server = await startTestServer({ dataDir: data.dir, demoCertificates: true });
    expect(await server.deps.accounts.countUsers()).toBe(7);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { username: 'li', password: 'demo1234' } })).status).toBe(401);
    expect(readFileSync(join(data.dir, 'demo', 'ca', 'root.pem'), 'utf8')).toBe(rootBefore);
    expect(await server.deps.accounts.trustedRoots()).toHaveLength(1);
  });

  it('does not seed a store that already has people', async () => {
    const other = tempDir('xt-demo-none-');
    const plain = await startTestServer({ dataDir: other.dir, demo: false });
    try {
      const unit = await plain.deps.accounts.ensureUnit('某单位', '某单');
      await plain.deps.accounts.createUser({ username: 'someone', name: '某人', unitId: unit.id, roles: ['staff'], password: 'secret-pass-1' });
    } finally {
      await plain.close();
    }
    const demo = await startTestServer({ dataDir: other.dir, demo: true });
    try {
      expect(await demo.deps.accounts.countUsers()).toBe(1);
      expect(await demo.deps.accounts.userByUsername('li')).toBeNull();
    } finally {
      await demo.close();
      other.cleanup();
    }
  });
});
