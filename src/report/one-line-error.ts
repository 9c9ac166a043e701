/**
 * An error Playwright reports as exactly its message: no stack, hence no frames and no code snippet. For failures
 * whose message is the whole story (a kubeconfig without the named context, refused credentials), where a stack
 * into the suite's own code would only bury the line the user has to act on.
 */
export function oneLineError(message: string): Error {
  const line = message.replace(/\s*\n\s*/g, ' ');
  const error = new Error(line);
  error.stack = line;
  return error;
}
