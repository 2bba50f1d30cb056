import type { ArchitectureGraph, GraphNode } from './architecture-graph.js';

const STACK_COLOURS = ['#eef4fb', '#f1f8ee', '#fdf6e9', '#f7eefa', '#eefaf8', '#fbeeee', '#f4f4f4'];

/** Graphviz DOT for an architecture graph: one cluster per stack, flows solid, uses dashed. */
export function graphToDot(graph: ArchitectureGraph, title: string): string {
  const lines = [
    'digraph architecture {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, label=${quote(title)}, newrank=true, nodesep=0.25, ranksep=0.9];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.6];',
  ];
  graph.stacks.forEach((stack, index) => {
    const deps = stack.dependencies.length ? `\\nuses: ${stack.dependencies.join(', ')}` : '';
    lines.push(`  subgraph ${quote(`cluster_${stack.name}`)} {`);
    lines.push(
      `    graph [label=${quote(`${stack.name}${deps}`, false)}, style="rounded,filled", fillcolor=${quote(STACK_COLOURS[index % STACK_COLOURS.length] ?? '#ffffff')}, color="#999999"];`,
    );
    for (const node of stack.nodes) lines.push(`    ${nodeLine(node)};`);
    if (stack.summary.length > 0) {
      lines.push(
        `    ${quote(`${stack.name}__summary`)} [shape=note, fillcolor="#ffffff", fontsize=9, label=${quote(`also:\\n${stack.summary.join('\\n')}`, false)}];`,
      );
    }
    lines.push('  }');
  });
  for (const node of graph.externals) {
    lines.push(`  ${nodeLine(node, ', shape=component, fillcolor="#fffbe6"')};`);
  }
  for (const edge of graph.edges) {
    const style = edge.kind === 'flow' ? 'penwidth=1.4, color="#1f5fa8"' : 'style=dashed';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${style}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

function nodeLine(node: GraphNode, extra = ''): string {
  return `${quote(node.id)} [label=${quote(`${node.kind}\\n${node.name}`, false)}${extra}]`;
}

/** A DOT string literal; `\n` escapes already in the text are kept when `escapeBackslash` is false. */
function quote(text: string, escapeBackslash = true): string {
  const body = escapeBackslash ? text.replace(/\\/g, '\\\\') : text;
  return `"${body.replace(/"/g, '\\"')}"`;
}
