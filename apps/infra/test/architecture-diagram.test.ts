import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGRAM_FILES, generateArchitectureDiagram } from '../src/diagram/architecture-diagram.js';
import { buildArchitectureGraph, nodeId } from '../src/diagram/architecture-graph.js';
import { graphToDot } from '../src/diagram/graph-to-dot.js';
import type { SynthesizedStack } from '../src/diagram/synthesized-app.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A producer with a queue it exports, and a consumer whose function reads it across stacks. */
const producer: SynthesizedStack = {
  name: 'bandup-test-data',
  dependencies: [],
  config: {
    resource: {
      aws_sqs_queue: { jobs: { name: 'bandup-test-jobs' } },
      aws_kms_key: { key: {} },
    },
    output: { 'queue-arn': { value: '${aws_sqs_queue.jobs.arn}' } },
  },
};
const consumer: SynthesizedStack = {
  name: 'bandup-test-ai',
  dependencies: ['bandup-test-data'],
  config: {
    resource: {
      aws_lambda_function: {
        worker: {
          function_name: 'bandup-test-worker',
          role: '${aws_iam_role.worker.arn}',
          environment: { variables: { GEMINI_MODEL: 'x' } },
        },
      },
      aws_iam_role: { worker: {} },
      aws_iam_role_policy: {
        worker: {
          role: '${aws_iam_role.worker.name}',
          policy: JSON.stringify({
            Statement: [
              { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: '*' },
              { Effect: 'Deny', Action: ['transcribe:*'], Resource: '*' },
            ],
          }),
        },
      },
      aws_lambda_event_source_mapping: {
        source: {
          event_source_arn:
            '${data.terraform_remote_state.cross-stack-reference-input-bandup-test-data.outputs.queue-arn}',
          function_name: '${aws_lambda_function.worker.arn}',
        },
      },
      aws_cloudwatch_dashboard: { board: { dashboard_body: '${aws_lambda_function.worker.arn}' } },
      aws_route53_record: {
        site: { name: 'bandup.example.com', alias: { name: 'x' } },
        validation: { name: '_acm.bandup.example.com' },
      },
    },
  },
};

describe('architecture graph read from synthesized stacks', () => {
  const graph = buildArchitectureGraph([consumer, producer]);
  const queue = nodeId('bandup-test-data', 'aws_sqs_queue', 'jobs');
  const worker = nodeId('bandup-test-ai', 'aws_lambda_function', 'worker');

  it('orders stacks producers first and keeps only key resources as nodes', () => {
    expect(graph.stacks.map((s) => s.name)).toEqual(['bandup-test-data', 'bandup-test-ai']);
    expect(graph.stacks[0]?.nodes).toEqual([{ id: queue, kind: 'SQS', name: 'jobs' }]);
    expect(graph.stacks[0]?.summary).toEqual(['1 KMS keys']);
  });

  it('draws an event source mapping as a flow from the queue in another stack to the function', () => {
    expect(graph.edges).toContainEqual({ from: queue, to: worker, kind: 'flow' });
  });

  it("draws a role's Allow grants to AWS services and Gemini configuration as uses, not Deny statements", () => {
    const targets = graph.edges.filter((e) => e.from === worker).map((e) => e.to);
    expect(targets).toEqual(expect.arrayContaining(['external__bedrock', 'external__gemini']));
    expect(targets).not.toContain('external__transcribe');
  });

  it('brings learners in through alias records only and draws no lines from dashboards', () => {
    const site = nodeId('bandup-test-ai', 'aws_route53_record', 'site');
    expect(graph.edges).toContainEqual({ from: 'external__learner', to: site, kind: 'flow' });
    const ids = graph.stacks.flatMap((s) => s.nodes.map((n) => n.id));
    expect(ids).not.toContain(nodeId('bandup-test-ai', 'aws_route53_record', 'validation'));
    const board = nodeId('bandup-test-ai', 'aws_cloudwatch_dashboard', 'board');
    expect(graph.edges.filter((e) => e.from === board)).toEqual([]);
  });

  it('renders DOT with one cluster per stack and solid flows', () => {
    const dot = graphToDot(graph, 'test');
    expect(dot).toContain('subgraph "cluster_bandup-test-data"');
    expect(dot).toContain(`"${queue}" -> "${worker}" [penwidth=1.4`);
  });
});

describe('the committed diagram', () => {
  it('is current: docs/architecture.{dot,svg} equal what the synthesized prod stacks draw', async () => {
    const { dot, svg } = await generateArchitectureDiagram();
    const committedDot = readFileSync(path.join(repoRoot, DIAGRAM_FILES.dot), 'utf8');
    // A stale diagram: run `pnpm docs:diagram` and commit docs/architecture.*.
    expect(committedDot).toBe(dot);
    expect(readFileSync(path.join(repoRoot, DIAGRAM_FILES.svg), 'utf8')).toBe(svg);
  });
});
