#!/usr/bin/env bash
# The very first images of a new environment, before its first infrastructure pipeline run.
#
#   apps/infra/scripts/first-image.sh <env> <version>        e.g. first-image.sh staging v0.1.0
#
# The app stack creates the ECR repositories and, in the same apply, the ECS services that pull from
# them: applied as is, the services would start on images that do not exist (CannotPullContainerError,
# then the deployment circuit breaker gives up). So, with administrator credentials for the account,
# after the bootstrap and cicd stacks:
#   1. apply only the app stack's repositories (and the key that encrypts them), with -target;
#   2. start the environment's images pipeline and wait: it builds and pushes the application
#      repository's head, tagged with its commit SHA;
#   3. promote that commit to <version> (`pnpm release`), recorded in src/config/releases.ts.
# Commit the releases file; the infrastructure pipeline then brings the whole environment up in one
# run (network, data, ai, app, monitoring), and the services start on images that exist.
set -euo pipefail

env_name="${1:?usage: first-image.sh <env> <version>}"
version="${2:?usage: first-image.sh <env> <version>}"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "version must be a release tag such as v0.1.0, got '$version'" >&2; exit 1; }
root="$(git rev-parse --show-toplevel)"
stack="bandup-$env_name-app"
pipeline="bandup-$env_name-cicd-images"

cd "$root"
BANDUP_ENV="$env_name" pnpm synth
dir="cdktf.out/stacks/$stack"
[ -f "$dir/cdk.tf.json" ] || { echo "$stack was not synthesized ($dir/cdk.tf.json)" >&2; exit 1; }

# 1. The repositories alone (-target pulls in what they depend on: the app key and its alias).
targets=()
while read -r address; do targets+=("-target=$address"); done < <(
  jq -r '.resource // {} | to_entries[]
    | select(.key == "aws_ecr_repository" or .key == "aws_ecr_lifecycle_policy" or .key == "aws_ecr_repository_policy")
    | .key as $type | .value | keys[] | "\($type).\(.)"' "$dir/cdk.tf.json"
)
[ "${#targets[@]}" -gt 0 ] || { echo "no ECR repositories in $stack" >&2; exit 1; }
terraform -chdir="$dir" init -input=false
terraform -chdir="$dir" apply -input=false "${targets[@]}"

# 2. Build and push the application's head through the environment's own images pipeline.
execution="$(aws codepipeline start-pipeline-execution --name "$pipeline" --query pipelineExecutionId --output text)"
echo "images pipeline $pipeline: execution $execution"
while :; do
  status="$(aws codepipeline get-pipeline-execution --pipeline-name "$pipeline" --pipeline-execution-id "$execution" \
    --query pipelineExecution.status --output text)"
  case "$status" in
    Succeeded) break ;;
    InProgress|Stopping) sleep "${POLL_SECONDS:-20}" ;;
    *) echo "images pipeline execution $execution ended $status" >&2; exit 1 ;;
  esac
done
commit="$(aws codepipeline get-pipeline-execution --pipeline-name "$pipeline" --pipeline-execution-id "$execution" \
  --query 'pipelineExecution.artifactRevisions[0].revisionId' --output text)"
[[ "$commit" =~ ^[0-9a-f]{40}$ ]] || { echo "could not read the built commit from execution $execution (got '$commit')" >&2; exit 1; }

# 3. Promote and record.
pnpm release promote --env "$env_name" --commit "$commit" --version "$version"
echo "Commit apps/infra/src/config/releases.ts, then run the infrastructure pipeline of $env_name."
