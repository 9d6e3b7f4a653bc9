import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const STACK_SCRIPT = join(REPO_ROOT, 'infra', 'local', 'stack.sh');
