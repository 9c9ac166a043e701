/**
 * The reader the nightly self-test runs the workflow's step through: GitHub's evaluation of the expression forms the
 * workflow uses (an unset secret or input is "", `||` takes the first non-empty value), and a refusal of any other
 * form, so the self-test cannot run a step differently from how GitHub would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { evaluate, workflowStep } from '../self/workflow-step';

const contexts = { secrets: { A: 'a-value' }, inputs: {}, github: { sha: 'abc' } };
/** GitHub's `${{ … }}`, written as a template so it is not mistaken for a forgotten placeholder. */
const gh = (expression: string) => `\${{ ${expression} }}`;

function workflow(step: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'socketproof-workflow-')), 'w.yml');
  writeFileSync(file, JSON.stringify({ jobs: { j: { steps: [{ id: 's', ...step }] } } }));
  return file;
}

test.describe('a workflow step as GitHub runs it', () => {
  test('secrets, inputs and github values; unset is ""; || takes the first non-empty', () => {
    expect(evaluate('secrets.A', contexts)).toBe('a-value');
    expect(evaluate('secrets.UNSET', contexts)).toBe('');
    expect(evaluate("inputs.target || 'production'", contexts)).toBe('production');
    expect(evaluate("secrets.A || 'x'", contexts)).toBe('a-value');
    expect(evaluate('github.sha', contexts)).toBe('abc');
  });

  test('any other expression, or a github value the test does not give, is refused', () => {
    expect(() => evaluate("format('{0}', secrets.A)", contexts)).toThrow(/not understood/);
    expect(() => evaluate('github.ref', contexts)).toThrow('the test gives no github.ref');
  });

  test('the env block is evaluated inside longer strings; the run script is taken as written', () => {
    const step = workflowStep(workflow({ env: { X: `${gh('github.sha')}/docs/`, Y: gh('secrets.A') }, run: 'echo "$X"' }), 'j', 's', contexts);
    expect(step.env).toEqual({ X: 'abc/docs/', Y: 'a-value' });
    expect(step.run).toBe('echo "$X"');
    expect(step.shell).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c']);
  });

  test('an expression in the run script, a custom shell or a missing step is refused', () => {
    expect(() => workflowStep(workflow({ run: `echo ${gh('secrets.A')}` }), 'j', 's', contexts)).toThrow(/pass it through env/);
    expect(() => workflowStep(workflow({ run: 'x', shell: 'sh' }), 'j', 's', contexts)).toThrow(/names a shell/);
    expect(() => workflowStep(workflow({ run: 'x' }), 'j', 'other', contexts)).toThrow(/no step with id "other"/);
  });
});
