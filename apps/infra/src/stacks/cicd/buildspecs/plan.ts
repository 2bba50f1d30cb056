import { INSTALL_TERRAFORM, terraformLiteral, yamlScript } from './terraform-install.js';

/** pnpm version the build activates through corepack (the root package.json `packageManager`). */
export const PNPM_VERSION = '10.34.9';

/**
 * Buildspec of the infrastructure `plan` project. Synthesizes this environment (`pnpm synth` with
 * `BANDUP_ENV`), then, for each stack in `STACKS` (dependency order), `terraform init` and
 * `terraform plan -out=tfplan`. The output artifact holds the synthesized stacks (configuration,
 * provider lock file, Lambda assets, the saved `tfplan`) and `plans/`: the stack list, the stacks
 * with changes, each plan as text and a summary for the approver. The apply project applies exactly
 * these saved plans. `tfplan` files can hold sensitive values in clear text: the artifact bucket is
 * KMS-encrypted and readable only by the pipeline and its projects.
 *
 * Environment (set on the project, `STACKS` overridable per run through the pipeline variable):
 * `BANDUP_ENV`, `STACKS` (space or comma separated), `TERRAFORM_VERSION`, `TERRAFORM_ARCH`.
 */
export const PLAN_SCRIPT = `set -euo pipefail
pnpm synth
mkdir -p plans
echo "$STACKS" | tr ', ' '\\n\\n' | sed '/^$/d' > plans/stacks.txt
[ -s plans/stacks.txt ] || { echo "STACKS is empty: nothing to plan" >&2; exit 1; }
: > plans/changed-stacks.txt
{
  echo "Environment: $BANDUP_ENV"
  echo "Commit: \${CODEBUILD_RESOLVED_SOURCE_VERSION:-unknown}"
  echo
} > plans/summary.txt
while read -r stack; do
  case "$stack" in
    "bandup-$BANDUP_ENV-"*) ;;
    *) echo "$stack is not a stack of environment $BANDUP_ENV" >&2; exit 1 ;;
  esac
  dir="cdktf.out/stacks/$stack"
  [ -f "$dir/cdk.tf.json" ] || { echo "$stack was not synthesized (no $dir/cdk.tf.json)" >&2; exit 1; }
  terraform -chdir="$dir" init -input=false -no-color
  set +e
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=5m -detailed-exitcode -out=tfplan
  code=$?
  set -e
  case "$code" in
    0)
      echo "$stack: no changes" >> plans/summary.txt
      rm -f "$dir/tfplan"
      ;;
    2)
      echo "$stack" >> plans/changed-stacks.txt
      terraform -chdir="$dir" show -no-color tfplan > "plans/$stack.txt"
      {
        echo "$stack: $(grep -E '^Plan:' "plans/$stack.txt" || echo 'changes')"
        # Deletions and replacements are what an approver must not miss.
        grep -E '^  # .* (will be destroyed|must be replaced)' "plans/$stack.txt" || true
      } >> plans/summary.txt
      ;;
    *) echo "terraform plan of $stack failed (exit $code)" >&2; exit "$code" ;;
  esac
done < plans/stacks.txt
cat plans/summary.txt`;

export function planBuildspec(): string {
  return terraformLiteral(`version: 0.2
env:
  shell: bash
  variables:
    TF_IN_AUTOMATION: "true"
    TF_INPUT: "0"
    CHECKPOINT_DISABLE: "1"
phases:
  install:
    runtime-versions:
      nodejs: 20
    commands:
${yamlScript(INSTALL_TERRAFORM, 6)}
      - corepack enable
      - corepack prepare pnpm@${PNPM_VERSION} --activate
      - pnpm install --frozen-lockfile
  build:
    commands:
${yamlScript(PLAN_SCRIPT, 6)}
artifacts:
  files:
    - plans/**/*
    - cdktf.out/stacks/**/*
  exclude-paths:
    - cdktf.out/stacks/*/.terraform/**/*
`);
}
