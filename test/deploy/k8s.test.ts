// The Kubernetes manifests (k8s/), checked offline the way they are applied: each overlay is
// rendered with `kubectl kustomize`, every object is validated against the Kubernetes OpenAPI
// schema (kubernetes-models), and every subgraph in the gateway's registry must be deployed
// with its port, probes, resources, autoscaler, disruption budget and network policy — so a
// subgraph added without its k8s entry fails here. No cluster is involved: nothing is applied.
// kubectl comes from .ci/run in CI (Debian's kubernetes-client); KUBECTL=<path> picks another.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  HorizontalPodAutoscaler,
  type IHorizontalPodAutoscaler,
} from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../platform/src/config';
import { SUBGRAPH_DEFINITIONS } from '../../gateway/src/registry';

const root = path.resolve(__dirname, '..', '..');
const k8s = path.join(root, 'k8s');
const KUBECTL = process.env.KUBECTL || 'kubectl';
const OVERLAYS = ['small', 'large'] as const;
const NAMESPACE = 'grocery';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The model class of every kind the manifests may contain; an object of any other kind fails. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'batch/v1/Job': Job,
};

function kubectlAvailable(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function parseYaml(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

/** `kubectl kustomize DIR`: stdout only (kustomize v5 warns about v2-compatible fields on stderr). */
function render(dir: string): K8sObject[] {
  const out = execFileSync(KUBECTL, ['kustomize', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 32 * 1024 * 1024,
  });
  return parseYaml(out, dir);
}

function validate(obj: K8sObject): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`${obj.kind} ${obj.metadata.name}: no model for ${obj.apiVersion}/${obj.kind}`);
  try {
    new Model(obj as never).validate();
  } catch (err) {
    throw new Error(`${obj.kind} ${obj.metadata.name} is not a valid ${obj.apiVersion} ${obj.kind}: ${String(err)}`);
  }
}

const ofKind = <T>(objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as T[];
const named = <T extends { metadata?: { name?: string } }>(objects: T[], name: string) =>
  objects.find((o) => o.metadata?.name === name);

type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];
type Labels = Record<string, string>;

function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(labels[e.key]!)
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(labels[e.key]!)
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

type Direction = 'Ingress' | 'Egress';

/**
 * Whether the policies let pods labelled `from` reach pods labelled `to` in this namespace, on
 * the side of `direction` (Ingress: policies isolating `to`; Egress: policies isolating `from`).
 * Ports are not compared. A pod no policy isolates would be open, which default deny rules out.
 */
function allows(policies: INetworkPolicy[], direction: Direction, from: Labels, to: Labels): boolean {
  const subject = direction === 'Ingress' ? to : from;
  const other = direction === 'Ingress' ? from : to;
  const isolating = policies.filter(
    (p) => selects(p.spec?.podSelector, subject) && (p.spec?.policyTypes ?? []).includes(direction),
  );
  if (isolating.length === 0) return true;
  return isolating.some((p) => {
    // A rule without peers admits everyone; peers in other namespaces or ipBlocks are not pods here.
    const rules =
      direction === 'Ingress' ? (p.spec?.ingress ?? []).map((r) => r.from) : (p.spec?.egress ?? []).map((r) => r.to);
    return rules.some(
      (peers) =>
        !peers || peers.some((peer) => !peer.namespaceSelector && !peer.ipBlock && selects(peer.podSelector, other)),
    );
  });
}

const reaches = (policies: INetworkPolicy[], from: Labels, to: Labels) =>
  allows(policies, 'Egress', from, to) && allows(policies, 'Ingress', from, to);

/** Every file under `dir` (generated code and dependencies left out). */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return entry === 'generated' || entry === 'node_modules' ? [] : files(p);
    return [p];
  });
}

/**
 * Service-to-service calls in the code, seen from both ends: `peers.call('<callee>', …)` in the
 * caller's sources, `requireService(identity, '<caller>')` in the callee's.
 */
function peerCalls(): { caller: string; callee: string }[] {
  const calls: { caller: string; callee: string }[] = [];
  const add = (caller: string, callee: string) => {
    if (!calls.some((c) => c.caller === caller && c.callee === callee)) calls.push({ caller, callee });
  };
  for (const { name } of SUBGRAPH_DEFINITIONS) {
    const sources = files(path.join(root, 'subgraphs', name, 'src')).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of sources) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bpeers\.call\s*(?:<[\s\S]{0,600}?>)?\(\s*'([a-z][a-z0-9]*)'/g))
        add(name, m[1]!);
      for (const m of source.matchAll(/\brequireService\([^,()]+,\s*'([a-z][a-z0-9]*)'\)/g)) add(m[1]!, name);
    }
  }
  return calls;
}

/** Settings whose values are secrets (or URLs that may carry a password). */
const SECRET_SETTING = /(SECRET|PASSWORD|TOKEN|_KEY|_SID)(_PREVIOUS)?$|DATABASE_URL$|^REDIS_URL$|^ELASTICSEARCH_URL$/;
const URL_WITH_PASSWORD = /:\/\/[^/\s:@]+:[^/\s@]+@/;

type PodSpec = NonNullable<NonNullable<IDeployment['spec']>['template']['spec']>;

const podOf = (workload: IDeployment | IJob): PodSpec => workload.spec!.template.spec!;
const podLabels = (workload: IDeployment | IJob): Labels => (workload.spec!.template.metadata?.labels ?? {}) as Labels;

const gatewayPort = loadConfig({}).PORT;
const subgraphs = SUBGRAPH_DEFINITIONS.map((d) => ({
  name: d.name as string,
  port: d.defaultPort,
  publicPaths: d.publicPaths ?? [],
  issuesTokens: d.issuesTokens === true,
}));
const services = [
  { name: 'gateway', port: gatewayPort, command: 'gateway/dist/main.js' },
  ...subgraphs.map((s) => ({ name: s.name, port: s.port, command: `subgraphs/${s.name}/dist/main.js` })),
];

const available = kubectlAvailable();
if (!available && !process.env.CI)
  console.warn(`k8s manifests not checked: no ${KUBECTL} here (CI installs Debian's kubernetes-client).`);
// In CI a missing kubectl fails these tests instead of skipping them.
const describeK8s = available || process.env.CI ? describe : describe.skip;

describeK8s('k8s/ manifests (kubectl kustomize, offline)', () => {
  const rendered: Record<string, K8sObject[]> = {};
  const objects = (overlay: string): K8sObject[] => (rendered[overlay] ??= render(path.join(k8s, 'overlays', overlay)));

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    test('renders, and every object is valid against the Kubernetes schema', () => {
      const all = objects(overlay);
      expect(all.length).toBeGreaterThan(0);
      for (const obj of all) validate(obj);
      for (const obj of all)
        expect(`${obj.kind}/${obj.metadata.name} in ${obj.metadata.namespace}`).toBe(
          `${obj.kind}/${obj.metadata.name} in ${NAMESPACE}`,
        );
      // Secrets are referenced, never shipped: the overlays make none.
      expect(ofKind(all, 'Secret')).toEqual([]);
    });

    test.each(services.map((s) => [s.name, s] as const))(
      '%s: Deployment, Service, HPA, PDB and NetworkPolicy',
      (name, service) => {
        const all = objects(overlay);
        const deployment = named(ofKind<IDeployment>(all, 'Deployment'), name);
        expect(deployment).toBeDefined();
        const pod = podOf(deployment!);
        const labels = podLabels(deployment!);
        const container = pod.containers.find((c) => c.name === name) ?? pod.containers[0]!;

        expect(deployment!.spec!.replicas).toBeGreaterThanOrEqual(2);
        expect(selects(deployment!.spec!.selector, labels)).toBe(true);
        expect(container.command?.join(' ')).toBe(`node ${service.command}`);
        expect(container.ports).toEqual([{ name: 'http', containerPort: service.port, protocol: 'TCP' }]);
        expect(container.env?.find((e) => e.name === 'PORT')?.value).toBe(String(service.port));

        expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
        expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
        for (const kind of ['requests', 'limits'] as const)
          for (const resource of ['cpu', 'memory'])
            expect(container.resources?.[kind]?.[resource]).toEqual(expect.anything());

        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.securityContext?.runAsNonRoot).toBe(true);
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();

        const svc = named(ofKind<IService>(all, 'Service'), name);
        expect(svc).toBeDefined();
        expect(selects({ matchLabels: svc!.spec!.selector }, labels)).toBe(true);
        expect(svc!.spec!.ports).toEqual([{ name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' }]);

        const hpa = ofKind<IHorizontalPodAutoscaler>(all, 'HorizontalPodAutoscaler').find(
          (h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name,
        );
        expect(hpa).toBeDefined();
        expect(hpa!.spec!.minReplicas).toBe(deployment!.spec!.replicas);
        expect(hpa!.spec!.maxReplicas).toBeGreaterThan(hpa!.spec!.minReplicas!);

        const pdb = ofKind<IPodDisruptionBudget>(all, 'PodDisruptionBudget').find((p) =>
          selects(p.spec?.selector, labels),
        );
        expect(pdb).toBeDefined();

        const policies = ofKind<INetworkPolicy>(all, 'NetworkPolicy');
        const own = policies.filter((p) => selects(p.spec?.podSelector, labels) && p.metadata?.name === name);
        expect(own).toHaveLength(1);
      },
    );

    test('env: settings from the ConfigMap, secrets only by reference, nothing secret inlined', () => {
      const all = objects(overlay);
      const [config] = ofKind<IConfigMap>(all, 'ConfigMap');
      for (const [key, value] of Object.entries(config!.data ?? {})) {
        expect(`${key} in ConfigMap`).not.toMatch(SECRET_SETTING);
        expect(`${key}=${value}`).not.toMatch(URL_WITH_PASSWORD);
      }
      const workloads = [...ofKind<IDeployment>(all, 'Deployment'), ...ofKind<IJob>(all, 'Job')];
      for (const w of workloads)
        for (const c of podOf(w).containers) {
          expect(c.envFrom?.some((e) => e.configMapRef?.name === config!.metadata!.name)).toBe(true);
          for (const e of c.env ?? []) {
            if (e.value === undefined) continue;
            expect(`${w.metadata!.name}: ${e.name}`).not.toMatch(SECRET_SETTING);
            expect(`${w.metadata!.name}: ${e.name}=${e.value}`).not.toMatch(URL_WITH_PASSWORD);
          }
        }
      // Each subgraph on its own database role, from a Secret.
      for (const s of subgraphs) {
        const c = podOf(named(ofKind<IDeployment>(all, 'Deployment'), s.name)!).containers[0]!;
        const variable = `${s.name.toUpperCase()}_DATABASE_URL`;
        expect(c.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef).toMatchObject({ key: variable });
        expect(c.env?.find((e) => e.name === 'DATABASE_URL')).toBeUndefined();
      }
      // The gateway has no database at all.
      const gw = podOf(named(ofKind<IDeployment>(all, 'Deployment'), 'gateway')!).containers[0]!;
      expect((gw.env ?? []).filter((e) => /DATABASE_URL$/.test(e.name))).toEqual([]);
    });

    test('the ConfigMap points the gateway and peers at every subgraph, and at the JWKS of the token issuer', () => {
      const [config] = ofKind<IConfigMap>(objects(overlay), 'ConfigMap');
      const data = config!.data ?? {};
      for (const s of subgraphs) expect(data[`${s.name.toUpperCase()}_URL`]).toBe(`http://${s.name}:${s.port}/graphql`);
      const issuer = subgraphs.find((s) => s.issuesTokens)!;
      expect(data.JWKS_URL).toBe(`http://${issuer.name}:${issuer.port}/.well-known/jwks.json`);
      expect(data.HOST).toBe('0.0.0.0');
      expect(data.NODE_ENV).toBe('production');
    });

    test('every referenced Secret and required key is in k8s/secrets.example.yaml', () => {
      const examples = parseYaml(readFileSync(path.join(k8s, 'secrets.example.yaml'), 'utf8'), 'secrets.example.yaml');
      for (const e of examples) validate(e);
      const keys = new Map(
        (examples as unknown as ISecret[]).map((s) => [s.metadata!.name!, Object.keys(s.stringData ?? {})]),
      );
      const workloads = [
        ...ofKind<IDeployment>(objects(overlay), 'Deployment'),
        ...ofKind<IJob>(objects(overlay), 'Job'),
      ];
      for (const w of workloads)
        for (const c of podOf(w).containers) {
          for (const e of c.envFrom ?? [])
            if (e.secretRef && !e.secretRef.optional) expect(keys.has(e.secretRef.name!)).toBe(true);
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref && !ref.optional)
              expect(`${ref.name}/${ref.key}: ${keys.get(ref.name!)?.includes(ref.key)}`).toBe(
                `${ref.name}/${ref.key}: true`,
              );
          }
        }
      // Not applied by default: no kustomization names it.
      const kustomizations = files(k8s).filter((f) => path.basename(f) === 'kustomization.yaml');
      expect(kustomizations.length).toBeGreaterThanOrEqual(4);
      for (const f of kustomizations) {
        const k = parseYaml(readFileSync(f, 'utf8'), f)[0] as unknown as Record<string, unknown>;
        const listed = ['resources', 'bases', 'components', 'patchesStrategicMerge'].flatMap(
          (field) => (k[field] as string[] | undefined) ?? [],
        );
        expect(listed.filter((entry) => entry.includes('secrets.example'))).toEqual([]);
      }
    });

    test('network: default deny; subgraphs reachable from the gateway and their callers only; PostgreSQL from domain pods and jobs only', () => {
      const all = objects(overlay);
      const policies = ofKind<INetworkPolicy>(all, 'NetworkPolicy');
      const deployments = ofKind<IDeployment>(all, 'Deployment');
      const labelsOf = (name: string) => podLabels(named(deployments, name)!);
      const migrate = named(ofKind<IJob>(all, 'Job'), 'migrate');
      expect(migrate).toBeDefined();
      const outsider = { 'app.kubernetes.io/name': 'intruder' };
      const postgresql = { 'app.kubernetes.io/name': 'postgresql' };

      // Default deny, both ways, for this platform's pods.
      for (const s of services) {
        expect(allows(policies, 'Ingress', outsider, labelsOf(s.name))).toBe(false);
        expect(allows(policies, 'Egress', labelsOf(s.name), outsider)).toBe(false);
      }
      // The gateway: from the ingress controller's namespace only.
      const gatewayPolicy = named(policies, 'gateway')!;
      expect(gatewayPolicy.spec!.ingress!.flatMap((r) => r.from ?? [])).toEqual([
        expect.objectContaining({
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        }),
      ]);

      const calls = peerCalls();
      // The scan finds what the README's architecture names (orders -> products, stock, delivery; users -> orders).
      expect(calls).toEqual(
        expect.arrayContaining([
          { caller: 'orders', callee: 'products' },
          { caller: 'orders', callee: 'stock' },
          { caller: 'users', callee: 'orders' },
        ]),
      );
      const issuers = subgraphs.filter((s) => s.issuesTokens).map((s) => s.name);
      for (const callee of subgraphs) {
        const to = labelsOf(callee.name);
        expect(`gateway -> ${callee.name}: ${reaches(policies, labelsOf('gateway'), to)}`).toBe(
          `gateway -> ${callee.name}: true`,
        );
        for (const caller of subgraphs) {
          if (caller.name === callee.name) continue;
          const expected =
            calls.some((c) => c.caller === caller.name && c.callee === callee.name) || issuers.includes(callee.name);
          expect(`${caller.name} -> ${callee.name}: ${reaches(policies, labelsOf(caller.name), to)}`).toBe(
            `${caller.name} -> ${callee.name}: ${expected}`,
          );
        }
        // PostgreSQL: every domain service.
        expect(reaches(policies, to, postgresql)).toBe(true);
      }
      expect(reaches(policies, podLabels(migrate!), postgresql)).toBe(true);
      expect(reaches(policies, labelsOf('gateway'), postgresql)).toBe(false);
      expect(allows(policies, 'Ingress', outsider, postgresql)).toBe(false);
      // The jobs reach nothing but PostgreSQL (and DNS).
      expect(reaches(policies, podLabels(migrate!), labelsOf('users'))).toBe(false);
    });

    test('ingress: /graphql and every subgraph webhook path to the gateway, WebSocket-friendly timeouts', () => {
      const [ingress] = ofKind<IIngress>(objects(overlay), 'Ingress');
      const paths = ingress!.spec!.rules!.flatMap((r) => r.http?.paths ?? []);
      const toGateway = (p: string) =>
        paths.some(
          (x) =>
            x.path === p &&
            x.pathType === 'Prefix' &&
            x.backend.service?.name === 'gateway' &&
            x.backend.service.port?.name === 'http',
        );
      expect(toGateway('/graphql')).toBe(true);
      const publicPaths = subgraphs.flatMap((s) => s.publicPaths);
      expect(publicPaths.length).toBeGreaterThan(0);
      for (const p of publicPaths) expect(`${p}: ${toGateway(p)}`).toBe(`${p}: true`);
      const annotations = ingress!.metadata!.annotations ?? {};
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(3600);
    });

    test('migrate Job: db:roles with the owner and every domain role', () => {
      const migrate = named(ofKind<IJob>(objects(overlay), 'Job'), 'migrate')!;
      const c = podOf(migrate).containers[0]!;
      expect(c.command).toEqual(['node', 'platform/dist/db/roles-cli.js']);
      expect(c.envFrom?.map((e) => e.secretRef?.name)).toContain('grocery-db');
    });
  });

  test('large has more replicas, a higher HPA ceiling and requests at least as big as small', () => {
    const cpu = (v: string | number | undefined) =>
      String(v).endsWith('m') ? parseFloat(String(v)) / 1000 : Number(v);
    const mib = (v: string | number | undefined) =>
      String(v).endsWith('Gi') ? parseFloat(String(v)) * 1024 : parseFloat(String(v));
    for (const s of services) {
      const [small, large] = OVERLAYS.map((o) => named(ofKind<IDeployment>(objects(o), 'Deployment'), s.name)!);
      const [smallHpa, largeHpa] = OVERLAYS.map((o) =>
        named(ofKind<IHorizontalPodAutoscaler>(objects(o), 'HorizontalPodAutoscaler'), s.name)!,
      );
      expect(small!.spec!.replicas).toBe(2);
      expect(large!.spec!.replicas).toBeGreaterThan(small!.spec!.replicas!);
      expect(largeHpa!.spec!.maxReplicas).toBeGreaterThan(smallHpa!.spec!.maxReplicas);
      const [rs, rl] = [small, large].map((d) => podOf(d!).containers[0]!.resources!.requests!);
      expect(cpu(rl!.cpu)).toBeGreaterThanOrEqual(cpu(rs!.cpu));
      expect(mib(rl!.memory)).toBeGreaterThanOrEqual(mib(rs!.memory));
    }
  });

  test('the optional seed Job (k8s/seed) renders valid, on the owner database URL from a Secret', () => {
    const seed = render(path.join(k8s, 'seed'));
    for (const obj of seed) validate(obj);
    const job = named(ofKind<IJob>(seed, 'Job'), 'seed')!;
    const c = podOf(job).containers[0]!;
    expect(c.command?.slice(0, 2)).toEqual(['node', 'seed/dist/cli.js']);
    expect(c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toMatchObject({
      name: 'grocery-db',
      key: 'DATABASE_URL',
    });
    expect(job.metadata!.namespace).toBe(NAMESPACE);
  });
});
