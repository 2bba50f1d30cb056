import { describe, expect, it } from 'vitest';
import {
  parseTranscriptionJobName,
  TRANSCRIPTION_JOB_NAME_MAX,
  TranscribeStateChangeEventSchema,
  transcriptionJobName,
  transcriptionJobNamePrefix,
} from '../src/index.js';
import { errorPaths, JOB_ID } from './helpers.js';

/** The shape EventBridge delivers for Amazon Transcribe (as documented by AWS). */
const event = {
  version: '0',
  id: '1a2b3c4d-0000-0000-0000-000000000000',
  'detail-type': 'Transcribe Job State Change',
  source: 'aws.transcribe',
  account: '123456789012',
  time: '2026-11-29T02:05:00Z',
  region: 'ap-southeast-1',
  resources: [],
  detail: { TranscriptionJobName: `bandup-dev-${JOB_ID}`, TranscriptionJobStatus: 'COMPLETED' },
};

describe('TranscribeStateChangeEventSchema', () => {
  it('parses COMPLETED and FAILED events', () => {
    expect(TranscribeStateChangeEventSchema.parse(event).detail.TranscriptionJobStatus).toBe('COMPLETED');
    const failed = {
      ...event,
      detail: {
        ...event.detail,
        TranscriptionJobStatus: 'FAILED',
        FailureReason: 'The media format is not supported',
      },
    };
    expect(TranscribeStateChangeEventSchema.parse(failed).detail.FailureReason).toBe(
      'The media format is not supported',
    );
  });

  it('rejects other sources, states and names', () => {
    expect(errorPaths(TranscribeStateChangeEventSchema, { ...event, source: 'aws.s3' })).toEqual(['source']);
    expect(
      errorPaths(TranscribeStateChangeEventSchema, {
        ...event,
        detail: { TranscriptionJobName: 'bad name!', TranscriptionJobStatus: 'IN_PROGRESS' },
      }),
    ).toEqual(['detail.TranscriptionJobName', 'detail.TranscriptionJobStatus']);
  });
});

describe('transcription job names', () => {
  it('round-trips env and job id', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const name = transcriptionJobName(env, JOB_ID);
      expect(name).toBe(`bandup-${env}-${JOB_ID}`);
      expect(name.startsWith(transcriptionJobNamePrefix(env))).toBe(true);
      expect(name).toMatch(/^[0-9a-zA-Z._-]+$/);
      expect(name.length).toBeLessThanOrEqual(TRANSCRIPTION_JOB_NAME_MAX);
      expect(parseTranscriptionJobName(name)).toEqual({ env, jobId: JOB_ID });
    }
  });

  it('refuses names and ids that are not ours', () => {
    expect(() => transcriptionJobName('dev', 'not-a-uuid')).toThrow('jobId "not-a-uuid" is not a UUID');
    for (const name of [
      'other-dev-x',
      `bandup-test-${JOB_ID}`,
      `bandup-dev-${JOB_ID}-extra`,
      'bandup-dev-',
    ]) {
      expect(() => parseTranscriptionJobName(name), name).toThrow(
        `Transcription job name "${name}" is not of the form bandup-<env>-<jobId>`,
      );
    }
  });
});
