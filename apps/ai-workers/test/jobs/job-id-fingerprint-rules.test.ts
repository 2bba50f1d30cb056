import { describe, expect, it } from 'vitest';
import { idempotentJobId, newJobId } from '../../src/jobs/job-id.js';
import { canonicalJson, requestFingerprint } from '../../src/jobs/request-fingerprint.js';

/*
 * What makes a replayed submit land on the same job: the job id derived from (user, Idempotency-Key)
 * and the fingerprint of the validated request. Both must stay stable across releases: a changed
 * derivation would turn every replay of a key already in use into a new job or a false conflict.
 */

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotentJobId: an RFC 9562 UUIDv5 of user and key', () => {
  it('is the UUIDv5 of "<user>\\n<key>" in the fixed namespace 6f1c8d52-a7e9-4f0b-9b3e-2c4d5a6f7e81', () => {
    expect(idempotentJobId('user-1', 'key-1')).toBe('01f7f5aa-7035-59fd-8558-ef701bdb0f12');
    expect(idempotentJobId('user-2', 'key-1')).toBe('e4a59a0e-7a12-5334-aeff-5bf072efcd20');
  });

  it('carries the version 5 and RFC variant bits, whatever the hash bytes are', () => {
    for (let i = 0; i < 64; i++) expect(idempotentJobId(`user-${i}`, `key-${i * 7}`)).toMatch(UUID_V5);
  });

  it('is deterministic per user and key, and scoped per user', () => {
    expect(idempotentJobId('u', 'k')).toBe(idempotentJobId('u', 'k'));
    expect(idempotentJobId('u', 'k')).not.toBe(idempotentJobId('v', 'k'));
    expect(idempotentJobId('u', 'k')).not.toBe(idempotentJobId('u', 'l'));
  });
});

describe('newJobId: a fresh random UUIDv4', () => {
  it('is a v4 UUID, different each time', () => {
    const ids = new Set(Array.from({ length: 20 }, () => newJobId()));
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });
});

describe('canonicalJson: one text per JSON value, whatever the key order', () => {
  it('primitives are their JSON text; undefined and null are null', () => {
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('arrays keep their order, with every item canonical', () => {
    expect(canonicalJson([3, 'x', null, { b: 1, a: 2 }, [2, 1]])).toBe('[3,"x",null,{"a":2,"b":1},[2,1]]');
    expect(canonicalJson([])).toBe('[]');
  });

  it('object keys are sorted by UTF-16 code unit at every level; undefined members are dropped', () => {
    expect(canonicalJson({ c: 3, a: 1, B: 0, b: { z: [1], y: undefined, x: 'v' } })).toBe(
      '{"B":0,"a":1,"b":{"x":"v","z":[1]},"c":3}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson({ 'a"': 1 })).toBe('{"a\\"":1}');
  });
});

describe('requestFingerprint: SHA-256 (hex) of the canonical request', () => {
  it('is the SHA-256 of the canonical text, so key order never changes it', () => {
    const expected = '47a1539e8cfb0f61119119336896c5fb68fa82a8d7b60cffdb546ced6ee750f5';
    expect(requestFingerprint({ task: 'writing', b: [1, { y: 2, x: 1 }] })).toBe(expected);
    expect(requestFingerprint({ b: [1, { x: 1, y: 2 }], task: 'writing' })).toBe(expected);
    expect(requestFingerprint({ b: [{ x: 1, y: 2 }, 1], task: 'writing' })).not.toBe(expected);
  });
});
