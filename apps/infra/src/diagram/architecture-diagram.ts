import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.js';
import { selectEnvironments } from '../config/index.js';
import { buildArchitectureGraph } from './architecture-graph.js';
import { graphToDot } from './graph-to-dot.js';
import { renderSvg } from './render-svg.js';
import { readSynthesizedApp } from './synthesized-app.js';

/** The environment the committed diagram shows: prod has every part (standby services, replicas). */
const DIAGRAM_ENVIRONMENT = 'prod';

/** Where the committed diagram lives, relative to the repository root. */
export const DIAGRAM_FILES = { dot: 'docs/architecture.dot', svg: 'docs/architecture.svg' } as const;

/**
 * Synthesizes the app for the diagram environment into a temporary folder and draws it: the DOT
 * source (reviewable in a diff) and the SVG rendered from it.
 */
export async function generateArchitectureDiagram(): Promise<{ dot: string; svg: string }> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-diagram-'));
  try {
    const { app } = buildApp({ environments: selectEnvironments(DIAGRAM_ENVIRONMENT), outdir });
    app.synth();
    const stacks = readSynthesizedApp(outdir);
    const dot = graphToDot(
      buildArchitectureGraph(stacks),
      `Bandup Cloud: ${DIAGRAM_ENVIRONMENT} (generated from the synthesized stacks)`,
    );
    return { dot, svg: await renderSvg(dot) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
