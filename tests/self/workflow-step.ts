/**
 * One step of a GitHub Actions workflow as the runner would execute it: its `run` script, and its `env` with every
 * `${{ … }}` evaluated from the secrets, inputs and github context a test hands in. GitHub evaluates an unset secret
 * or input to "". Only the expression forms the nightly workflow uses are understood (a context value, `a || 'b'`);
 * anything else throws, so a workflow edit this reader cannot follow fails the self-test instead of being run
 * differently from how GitHub would run it.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface StepContexts {
  secrets: Record<string, string>;
  inputs: Record<string, string>;
  github: Record<string, string>;
}

export interface WorkflowStep {
  run: string;
  env: Record<string, string>;
  /** How a hosted Ubuntu runner runs `run` (its default shell): bash --noprofile --norc -eo pipefail {0}. */
  shell: string[];
}

interface Workflow {
  jobs: Record<string, { steps: { id?: string; run?: string; env?: Record<string, string>; shell?: string }[] }>;
}

function operand(text: string, contexts: StepContexts): string {
  const literal = /^'(.*)'$/.exec(text);
  if (literal) return (literal[1] as string).replaceAll("''", "'");
  const ref = /^(secrets|inputs|github)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  if (!ref) throw new Error(`workflow expression "${text}" is not understood by tests/self/workflow-step.ts`);
  const [, context, name] = ref as unknown as [string, keyof StepContexts, string];
  const value = contexts[context][name];
  if (value === undefined && context === 'github') throw new Error(`the test gives no github.${name}`);
  return value ?? '';
}

/** `a || 'b'`: the first operand that is not empty (GitHub's `||` returns the first truthy value). */
export function evaluate(expression: string, contexts: StepContexts): string {
  const operands = expression.split('||').map((o) => operand(o.trim(), contexts));
  return operands.find((v) => v !== '') ?? (operands.at(-1) as string);
}

export function workflowStep(file: string, job: string, id: string, contexts: StepContexts): WorkflowStep {
  const workflow = parse(readFileSync(file, 'utf8')) as Workflow;
  const step = workflow.jobs[job]?.steps.find((s) => s.id === id);
  if (!step?.run) throw new Error(`${file}: job ${job} has no step with id "${id}" and a run script`);
  if (step.shell) throw new Error(`${file}: step ${id} names a shell; tests/self/workflow-step.ts runs the default one`);
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expression: string) => evaluate(expression, contexts)),
    ]),
  );
  if (step.run.includes('${{')) throw new Error(`${file}: step ${id}'s run script holds an expression: pass it through env`);
  return { run: step.run, env, shell: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'] };
}
