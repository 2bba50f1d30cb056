import { describe, expect, it } from 'vitest';
import { backendTaskRoleName, resourceName } from '../src/index.js';

describe('resource names', () => {
  it('every resource of an environment is named bandup-<env>-<name>', () => {
    expect(resourceName('dev', 'jobs')).toBe('bandup-dev-jobs');
    expect(resourceName('prod', 'writing-queue')).toBe('bandup-prod-writing-queue');
  });

  it('the backend task role is the backend task family plus -task (the AI API admits it by this name)', () => {
    expect(backendTaskRoleName('staging')).toBe('bandup-staging-backend-task');
  });
});
