import { terraformBuildspec } from './terraform-buildspec.js';

/** Shell variables a plan build exports to its pipeline action (`#{<namespace>.<name>}`). */
export const PLAN_EXPORTED_VARIABLES = ['CHANGED', 'VERDICT', 'APPROVAL_SUMMARY', 'REVIEW_URL'] as const;

/**
 * Build phase of the `plan` and `drift` projects.
 *
 * Synthesizes this environment, then for each stack of `STACKS` (in order): `terraform init`, then
 * `terraform plan -detailed-exitcode -out=tfplan -json`, keeping what the plan review reads
 * (`plans/json/<stack>.json` = `terraform show -json`, or `<stack>.plan-log.jsonl` = the plan's
 * machine-readable diagnostics when it failed). Then `pnpm plan:review` classifies the whole set;
 * the review goes into the artifact (`plans/review/`) and to the artifact bucket under
 * `reviews/<execution>/<wave>/` so the approval notification can link to it.
 *
 * Exported to the pipeline: `CHANGED` (`true` when a stack has changes: the approval and apply
 * stages of the wave are skipped otherwise), `VERDICT` (NO_CHANGES, GREEN, AMBER, RED or ERROR),
 * `APPROVAL_SUMMARY` (verdict, headline and the RED/AMBER lines, cut to fit an approval message) and
 * `REVIEW_URL`.
 *
 * The build fails when a plan failed, the review tool failed, or the review found an
 * unacknowledged RED item (exit 4): nothing reaches the approver that must not be applied.
 *
 * `MODE=drift` (the scheduled drift check) plans with refresh against the live platform and, when
 * anything differs from the code or a plan fails, publishes the review to `ALARM_TOPIC_ARN`; a
 * drift is reported, not failed (RED drift included: a person decides what to do with it).
 *
 * Environment: `BANDUP_ENV`, `STACKS` (space or comma separated), `WAVE` (label of this set),
 * `MODE` (`plan` or `drift`), `ARTIFACT_BUCKET`, `PIPELINE_EXECUTION_ID` (from the pipeline),
 * `ALARM_TOPIC_ARN` (drift).
 */
const PLAN_SCRIPT = `set -euo pipefail
pnpm synth
rm -rf plans
mkdir -p plans/json plans/review
echo "$STACKS" | tr ', ' '\\n\\n' | sed '/^$/d' > plans/stacks.txt
[ -s plans/stacks.txt ] || { echo "STACKS is empty: nothing to plan" >&2; exit 1; }
: > plans/changed-stacks.txt
: > plans/failed-stacks.txt
commit="\${CODEBUILD_RESOLVED_SOURCE_VERSION:-unknown}"
# fd 3: terraform must never read the stack list from stdin.
while read -r stack <&3; do
  case "$stack" in
    "bandup-$BANDUP_ENV-"*) ;;
    *) echo "$stack is not a stack of environment $BANDUP_ENV" >&2; exit 1 ;;
  esac
  dir="cdktf.out/stacks/$stack"
  [ -f "$dir/cdk.tf.json" ] || { echo "$stack was not synthesized (no $dir/cdk.tf.json)" >&2; exit 1; }
  terraform -chdir="$dir" init -input=false -no-color
  set +e
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=5m -detailed-exitcode -json \\
    -out=tfplan > "plans/json/$stack.plan-log.jsonl"
  code=$?
  set -e
  case "$code" in
    0|2)
      terraform -chdir="$dir" show -json tfplan > "plans/json/$stack.json"
      rm -f "plans/json/$stack.plan-log.jsonl"
      if [ "$code" = 2 ]; then
        echo "$stack" >> plans/changed-stacks.txt
        terraform -chdir="$dir" show -no-color tfplan > "plans/$stack.txt"
      else
        # No saved plan is left for a stack without changes: apply can never pick up a stale one.
        rm -f "$dir/tfplan"
      fi
      ;;
    *)
      echo "$stack" >> plans/failed-stacks.txt
      echo "terraform plan of $stack failed (exit $code)" >&2
      ;;
  esac
done 3< plans/stacks.txt

set +e
pnpm plan:review --format md --out-dir plans/review --env "$BANDUP_ENV" --commit "$commit" \\
  --synth-dir cdktf.out plans/json
review=$?
set -e
if [ -s plans/changed-stacks.txt ]; then CHANGED=true; else CHANGED=false; fi
if [ -f plans/review/review.json ]; then
  VERDICT="$(jq -r '.verdict' plans/review/review.json)"
  # An approval message holds 500 characters: the verdict and the RED/AMBER lines come first.
  APPROVAL_SUMMARY="$(jq -j '[.verdict + ": " + .headline]
    + [.items[] | select(.severity != "GREEN") | .severity + " " + .stack + " " + .address + ": " + .summary]
    | join("; ")' plans/review/review.json | tr '\\n' ' ' | cut -c1-380)"
else
  VERDICT=ERROR
  APPROVAL_SUMMARY="ERROR: the plan review produced no review (exit $review); see the build log"
fi
review_key="reviews/\${PIPELINE_EXECUTION_ID:-manual-$commit}/\${WAVE:-all}"
REVIEW_URL="https://$AWS_REGION.console.aws.amazon.com/s3/object/$ARTIFACT_BUCKET?region=$AWS_REGION&prefix=$review_key/review.md"
if [ -f plans/review/review.md ]; then
  aws s3 cp --only-show-errors --recursive plans/review "s3://$ARTIFACT_BUCKET/$review_key"
  cat plans/review/review.md
fi
# CodeBuild reads exported-variables from the build's environment: export them, not just set them.
export CHANGED VERDICT APPROVAL_SUMMARY REVIEW_URL
echo "Verdict: $VERDICT (review exit $review); changed: $CHANGED; review: $REVIEW_URL"

if [ "\${MODE:-plan}" = drift ]; then
  if [ "$CHANGED" = true ] || [ -s plans/failed-stacks.txt ] || [ "$review" = 1 ]; then
    if [ -f plans/review/review.txt ]; then message="file://plans/review/review.txt"; else message="$APPROVAL_SUMMARY"; fi
    aws sns publish --topic-arn "$ALARM_TOPIC_ARN" \\
      --subject "Bandup $BANDUP_ENV: the live platform drifted from the code ($VERDICT)" \\
      --message "$message"
  fi
  [ -s plans/failed-stacks.txt ] && { echo "drift check: a plan failed" >&2; exit 1; }
  exit 0
fi
[ -s plans/failed-stacks.txt ] && { echo "plan failed for: $(tr '\\n' ' ' < plans/failed-stacks.txt)" >&2; exit 1; }
case "$review" in
  0|2|3) ;;
  4) echo "the plan review found unacknowledged RED items: not sent for approval" >&2; exit 1 ;;
  *) echo "the plan review failed (exit $review)" >&2; exit 1 ;;
esac`;

export function planBuildspec(): string {
  return terraformBuildspec({
    node: true,
    exportedVariables: PLAN_EXPORTED_VARIABLES,
    build: PLAN_SCRIPT,
    artifacts: `artifacts:
  files:
    - plans/**/*
    - cdktf.out/stacks/**/*
  exclude-paths:
    - cdktf.out/stacks/*/.terraform/**/*
`,
  });
}
