// Validates rendered Kubernetes objects against their API schemas with maintained model packages:
// kubernetes-models (core API), @kubernetes-models/strimzi-kafka-operator, @kubernetes-models/cloudnative-pg
// and @kubernetes-models/keda (each ships its CRDs' OpenAPI schemas). ESM-only packages, hence a
// plain Node script: `node tools/k8s/validate-objects.mjs < rendered.yaml` prints one JSON line per
// object ({ kind, name, valid, error }) and exits 1 when any object is invalid or of an unknown kind.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { parseAllDocuments } from 'yaml';

const PACKAGES = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'keda.sh': '@kubernetes-models/keda',
};

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!group) return `kubernetes-models/${version}/${kind}`;
  const pkg = PACKAGES[group] ?? 'kubernetes-models';
  return `${pkg}/${group}/${version}/${kind}`;
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let failed = false;
for (const document of parseAllDocuments(Buffer.concat(chunks).toString('utf8'))) {
  const object = document.toJS();
  if (!object) continue;
  const result = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata?.name,
    valid: true,
  };
  try {
    const module = await import(modulePath(object.apiVersion, object.kind));
    const Model = module[object.kind] ?? module.default;
    new Model(object).validate();
  } catch (error) {
    failed = true;
    result.valid = false;
    result.error = String(error?.message ?? error).slice(0, 2000);
  }
  console.log(JSON.stringify(result));
}
process.exit(failed ? 1 : 0);
