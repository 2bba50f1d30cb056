import { Graphviz } from '@hpcc-js/wasm-graphviz';

/** Renders DOT to SVG with Graphviz compiled to WebAssembly (no system Graphviz needed). */
export async function renderSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}
