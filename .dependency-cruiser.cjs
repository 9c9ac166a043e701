/**
 * The import directions of docs/architecture.md, enforced by dependency-cruiser in `npm run lint:code` (npm test).
 * Layers, bottom up: foundation (paths, os, verdict, causes, browser, secrets) → targets → probes/tls → checks → faults,
 * runtime, report → fixtures → specs and scripts. The Kubernetes side: k8s → cluster (checks on objects) → fixes.
 * A rule names the layer that may not reach up, and why.
 */
const folder = (name) => `^src/${name}(/|\\.ts$)`;
const upper = ['checks', 'topology', 'k8s', 'cluster', 'fixes', 'kind', 'faults', 'runtime', 'lint', 'theia', 'report'];

module.exports = {
  forbidden: [
    {
      name: 'src-is-a-library',
      comment: 'src/ is the framework: it never imports the test runner\'s fixtures, the specs or the scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(fixtures|tests|scripts)/' },
    },
    {
      name: 'scripts-use-src-not-tests',
      comment: 'Scripts share code with the specs through src/, never by importing a fixture or a spec helper.',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^(fixtures|tests)/' },
    },
    {
      name: 'fixtures-below-specs',
      comment: 'Fixtures stand up what specs use; they never import a spec or a script.',
      severity: 'error',
      from: { path: '^fixtures/' },
      to: { path: '^(tests|scripts)/' },
    },
    {
      name: 'foundation-stays-at-the-bottom',
      comment: 'paths, os, verdict, causes, browser and secrets (redaction) are used by everything, so they import no other layer of src/.',
      severity: 'error',
      from: { path: '^src/(paths|os|verdict|causes|browser|secrets)(/|\\.ts$)' },
      to: { path: '^src/', pathNot: '^src/(paths|os|verdict|causes|browser|secrets)(/|\\.ts$)' },
    },
    {
      name: 'probes-know-no-checks',
      comment: 'Probes speak the protocol; judging what they saw (checks), standing targets up and clusters are above them.',
      severity: 'error',
      from: { path: folder('probes') },
      to: { path: upper.map(folder) },
    },
    {
      name: 'checks-are-target-agnostic',
      comment: 'A check judges any target the same way: it never knows how a target was stood up (topology, kind, faults).',
      severity: 'error',
      from: { path: folder('checks') },
      to: { path: ['topology', 'k8s', 'fixes', 'kind', 'faults', 'runtime', 'theia'].map(folder) },
    },
    {
      name: 'topology-does-not-judge',
      comment: 'The local topology stands a target up; the checks that judge it are above it, and Kubernetes beside it.',
      severity: 'error',
      from: { path: folder('topology') },
      to: { path: ['checks', 'probes', 'k8s', 'cluster', 'fixes', 'faults', 'runtime', 'report'].map(folder) },
    },
    {
      name: 'k8s-below-cluster-and-fixes',
      comment: 'The Kubernetes client knows objects, not the checks on them (cluster/) or the fixes that change them.',
      severity: 'error',
      from: { path: folder('k8s') },
      to: { path: ['cluster', 'fixes', 'checks', 'faults', 'runtime'].map(folder) },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one; break it by moving the shared part down a layer.',
      severity: 'error',
      from: { path: '^(src|fixtures|scripts)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|theia-app|reports|test-results|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
