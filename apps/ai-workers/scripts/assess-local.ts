/**
 * Runs the sample Writing essay or Speaking transcript from `fixtures/` through the real assessment
 * code and prints the result.
 *
 *   pnpm --filter @bandup/ai-workers exec tsx scripts/assess-local.ts writing|speaking [--language en|vi] [--live] [--json]
 *
 * Default: the real Bedrock SDK client talks to a fake Bedrock on 127.0.0.1 that answers with the
 * recorded model answer in `fixtures/model-answers/` (no network, no credentials). `--live` calls
 * Amazon Bedrock for real with your AWS credentials (default chain: env, profile, SSO), in
 * BANDUP_BEDROCK_REGION (default us-east-1) with BANDUP_ASSESSMENT_MODEL_ID (default
 * google.gemma-3-12b-it). Speaking starts from the sample Transcribe output, so Transcribe is not called.
 * `--language vi` asks for Vietnamese feedback (the fake answers with the recorded Vietnamese answer,
 * `fixtures/model-answers/*-vi.json`); the answer goes through the same language validation.
 */
import { readFileSync } from 'node:fs';
import { FEEDBACK_LANGUAGES, type FeedbackLanguage, type WritingAssessmentRequest } from '@bandup/shared';
import { assessSpeaking } from '../src/assess/assess-speaking.js';
import { assessWriting } from '../src/assess/assess-writing.js';
import { parseTranscribeTranscript } from '../src/assess/transcribe-transcript.js';
import { BedrockConverseModel } from '../src/clients/bedrock-converse.js';
import { createBedrockRuntimeClient } from '../src/clients/bedrock-runtime.js';
import { PermanentJobError } from '../src/runtime/errors.js';
import {
  converseAnswer,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
} from '../test/fakes/fake-bedrock.js';
import { operatorCredentials } from './operator-credentials.js';

const DEFAULT_MODEL_ID = 'google.gemma-3-12b-it';
const PART2_CUE_CARD =
  'Describe a place you like to visit. You should say: where it is, how you get there, what you do there, and explain why you like it.';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error('usage: tsx scripts/assess-local.ts writing|speaking [--language en|vi] [--live] [--json]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const languageAt = args.indexOf('--language');
  const language = (languageAt >= 0 ? args[languageAt + 1] : 'en') as FeedbackLanguage;
  if (!FEEDBACK_LANGUAGES.includes(language))
    usage(`--language must be one of ${FEEDBACK_LANGUAGES.join(', ')}`);
  if (languageAt >= 0) args.splice(languageAt, 2);
  const kind = args.find((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--live' && arg !== '--json');
  if (unknown.length > 0) usage(`unknown option(s) ${unknown.join(', ')}`);
  if (kind !== 'writing' && kind !== 'speaking') usage(kind ? `unknown kind "${kind}"` : undefined);
  const live = args.includes('--live');
  const asJson = args.includes('--json');

  let fake: FakeBedrock | undefined;
  const modelId = live ? (process.env.BANDUP_ASSESSMENT_MODEL_ID ?? DEFAULT_MODEL_ID) : DEFAULT_MODEL_ID;
  if (!live) {
    const suffix = language === 'en' ? '' : `-${language}`;
    const answer = fixture(
      kind === 'writing'
        ? `model-answers/writing-task2${suffix}.json`
        : `model-answers/speaking-part2${suffix}.json`,
    );
    fake = await startFakeBedrock({
      converse: [converseAnswer(answer, { inputTokens: 3000, outputTokens: 700 })],
    });
  }
  const liveRegion = process.env.BANDUP_BEDROCK_REGION ?? 'us-east-1';
  const client = createBedrockRuntimeClient(
    live
      ? { region: liveRegion, credentials: await operatorCredentials(liveRegion) }
      : { region: 'us-east-1', endpoint: fake!.url, credentials: FAKE_CREDENTIALS },
  );
  const model = new BedrockConverseModel(client, modelId);
  console.error(
    live ? `Calling Amazon Bedrock (${modelId}) ...` : `Using the fake Bedrock at ${fake!.url} ...`,
  );

  try {
    if (kind === 'writing') {
      const sample = JSON.parse(fixture('writing-task2-essay.json')) as Omit<
        WritingAssessmentRequest,
        'userId'
      >;
      const { result, repaired } = await assessWriting({ userId: 'local-user', ...sample, language }, model);
      if (asJson) return void console.log(JSON.stringify(result, null, 2));
      console.log(
        `Task band: ${result.taskBand} (computed from the criteria)${repaired ? ' [answer repaired once]' : ''}`,
      );
      console.log(`Feedback language: ${result.language ?? 'en'}`);
      for (const [criterion, value] of Object.entries(result.criteria))
        console.log(`  ${criterion}: ${value.band} - ${value.feedback}`);
      for (const example of result.examples) {
        console.log(`  quote (verbatim): "${example.quote}" -> "${example.suggestion}": ${example.issue}`);
      }
      console.log(
        `Words: ${result.wordCount} (minimum ${result.minimumWords})${result.underLength ? ' UNDER LENGTH' : ''}`,
      );
      console.log(
        `Examples kept: ${result.examples.length}, dropped (not verbatim in the essay): ${result.droppedExamples ?? 0}`,
      );
      console.log(
        `Model: ${result.model.modelId}, ${result.model.inputTokens} in / ${result.model.outputTokens} out tokens, ${result.model.latencyMs} ms, ${result.model.calls} call(s)`,
      );
    } else {
      const transcript = parseTranscribeTranscript(JSON.parse(fixture('speaking-part2-transcript.json')));
      const { result, repaired } = await assessSpeaking(
        { part: 2, questions: [PART2_CUE_CARD], transcript, language },
        model,
      );
      if (asJson) return void console.log(JSON.stringify(result, null, 2));
      console.log(
        `Speaking band: ${result.band} (computed from the criteria)${repaired ? ' [answer repaired once]' : ''}`,
      );
      console.log(`Feedback language: ${result.language ?? 'en'}`);
      for (const [criterion, value] of Object.entries(result.criteria)) {
        console.log(
          `  ${criterion}: ${value.band}${'estimated' in value ? ' (estimated)' : ''} - ${value.feedback}`,
        );
      }
      const f = result.features;
      console.log(
        `Features: ${f.wordsPerMinute} wpm over ${f.durationSeconds} s, ${f.pauseCount} pauses > 0.5 s (mean ${f.meanPauseSeconds} s), ` +
          `${f.fillersPer100Words} fillers/100 words, mean confidence ${f.meanConfidence}`,
      );
      console.log(
        `Model: ${result.model.modelId}, ${result.model.inputTokens} in / ${result.model.outputTokens} out tokens, ${result.model.latencyMs} ms, ${result.model.calls} call(s)`,
      );
    }
  } catch (error) {
    if (error instanceof PermanentJobError) {
      console.error(`Job would fail ${error.code}: ${error.message}`);
      if (error.details) console.error(JSON.stringify(error.details, null, 2));
    } else if (error instanceof Error && error.name === 'CredentialsProviderError') {
      console.error(
        'No AWS credentials found for --live: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
      );
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  } finally {
    client.destroy();
    await fake?.close();
  }
}

await main();
