import { terraformBuildspec } from './terraform-buildspec.js';

/**
 * Buildspec of the infrastructure `apply` project. Its only input is the plan project's artifact:
 * for each stack listed in `plans/changed-stacks.txt` (dependency order), `terraform init` with the
 * provider lock file the plan wrote (`-lockfile=readonly`: the same provider build), then
 * `terraform apply tfplan`. Nothing is planned again: what the approver saw is what is applied,
 * and Terraform itself refuses a saved plan whose state changed since (a stale plan fails).
 */
const APPLY_SCRIPT = `set -euo pipefail
[ -f plans/changed-stacks.txt ] || { echo "no plans/changed-stacks.txt in the input artifact" >&2; exit 1; }
if [ ! -s plans/changed-stacks.txt ]; then echo "no stack has changes: nothing to apply"; exit 0; fi
# fd 3: terraform must never read the stack list from stdin.
while read -r stack <&3; do
  case "$stack" in
    "bandup-$BANDUP_ENV-"*) ;;
    *) echo "$stack is not a stack of environment $BANDUP_ENV" >&2; exit 1 ;;
  esac
  dir="cdktf.out/stacks/$stack"
  [ -f "$dir/tfplan" ] || { echo "no saved plan for $stack ($dir/tfplan)" >&2; exit 1; }
  terraform -chdir="$dir" init -input=false -no-color -lockfile=readonly
  terraform -chdir="$dir" apply -input=false -no-color -lock-timeout=5m tfplan
done 3< plans/changed-stacks.txt`;

export function applyBuildspec(): string {
  return terraformBuildspec({ node: false, build: APPLY_SCRIPT });
}
