/**
 * Lint manifests and nginx configs before deploying: each rule with its source, each finding with its fix.
 *   npm run lint -- kind/manifests/healthy kind/pod/nginx.conf [--format text|json|sarif] [--fail-on error|warning|info]
 * Exit code: 0 nothing at or above --fail-on (default error), 1 something is, 2 bad input. README "Lint".
 */
import { runLintCli } from '../src/lint/cli';

process.exitCode = runLintCli(process.argv.slice(2));
