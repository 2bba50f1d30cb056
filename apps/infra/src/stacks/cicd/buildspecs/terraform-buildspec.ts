import { INSTALL_TERRAFORM, terraformLiteral, yamlScript } from './terraform-install.js';

/** pnpm version the builds install with npm (the root package.json `packageManager`). */
const PNPM_VERSION = '10.34.9';

/**
 * Install phase shared by every Node build: Terraform (checksum-verified), pnpm through npm (corepack's
 * bundled signing keys reject current pnpm releases), then the workspace's locked dependencies.
 */
const INSTALL_NODE_TOOLCHAIN = `set -euo pipefail
npm install --global --no-fund --no-audit pnpm@${PNPM_VERSION}
pnpm install --frozen-lockfile`;

export interface TerraformBuildspecParts {
  /** Node 22 and the workspace's locked dependencies (builds that synthesize); apply needs Terraform only. */
  readonly node: boolean;
  /** Shell run after Terraform is installed and before the Node toolchain. */
  readonly afterTerraform?: string;
  /** Shell variables exported to the pipeline action (`#{<namespace>.<name>}`). */
  readonly exportedVariables?: readonly string[];
  readonly build: string;
  /** The YAML `artifacts:` section, verbatim. */
  readonly artifacts?: string;
}

/**
 * The buildspec of every Terraform build (plan, drift, apply, pull-request checks): bash, Terraform
 * in automation mode, one install phase (Terraform, then the Node toolchain where needed), then the
 * build script. Terraform template syntax is escaped: the buildspec reaches CodeBuild verbatim.
 */
export function terraformBuildspec(parts: TerraformBuildspecParts): string {
  const lines = [
    'version: 0.2',
    'env:',
    '  shell: bash',
    '  variables:',
    '    TF_IN_AUTOMATION: "true"',
    '    TF_INPUT: "0"',
    '    CHECKPOINT_DISABLE: "1"',
  ];
  if (parts.exportedVariables) {
    lines.push('  exported-variables:', ...parts.exportedVariables.map((v) => `    - ${v}`));
  }
  lines.push('phases:', '  install:');
  if (parts.node) lines.push('    runtime-versions:', '      nodejs: 22');
  lines.push('    commands:', yamlScript(INSTALL_TERRAFORM, 6));
  if (parts.afterTerraform) lines.push(yamlScript(parts.afterTerraform, 6));
  if (parts.node) lines.push(yamlScript(INSTALL_NODE_TOOLCHAIN, 6));
  lines.push('  build:', '    commands:', yamlScript(parts.build, 6));
  return terraformLiteral(`${lines.join('\n')}\n${parts.artifacts ?? ''}`);
}
