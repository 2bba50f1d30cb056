import { terraformBuildspec } from './terraform-buildspec.js';

/** Paths whose change can change a synthesized stack: only then is the plan review run. */
const INFRA_PATHS = ['apps/infra', 'apps/ai-workers', 'packages', 'package.json', 'pnpm-lock.yaml'];

/**
 * The offline plan review installs the AWS provider only from a filesystem mirror (`TF_PLUGIN_DIR`),
 * never from the registry while planning: the mirror is filled once here, at the pinned version.
 */
const PROVIDER_MIRROR = `set -euo pipefail
mirror_config="$(mktemp -d)"
printf 'terraform {\\n  required_providers {\\n    aws = { source = "hashicorp/aws", version = "%s" }\\n  }\\n}\\n' \\
  "$AWS_PROVIDER_VERSION" > "$mirror_config/main.tf"
terraform -chdir="$mirror_config" providers mirror -platform=linux_amd64 "$TF_PLUGIN_DIR"
rm -rf "$mirror_config"`;

/**
 * Build phase of the pull-request check (a CodeBuild webhook build of the PR's head).
 *
 * 1. Fetches the PR's base branch (`CODEBUILD_WEBHOOK_BASE_REF`, else `BASE_BRANCH`).
 * 2. Biome over the repository, then `turbo run lint typecheck test` of the packages the PR
 *    changed and their dependents only (`--filter=...[origin/<base>]`).
 * 3. When infrastructure inputs changed: the offline plan review of every stack against the base
 *    (`pnpm plan:review --against origin/<base>`: real Terraform, no AWS account), written to
 *    `pr-review/`.
 * 4. Posts `pr-review/review.md` on the pull request through the host's API when a comment token
 *    is configured (`REVIEW_COMMENT_TOKEN`, from Secrets Manager); the build status itself is
 *    reported to the host by CodeBuild.
 *
 * Fails on lint, type or test failures, a plan review error (exit 1) or an unacknowledged RED
 * item (exit 4); AMBER passes here (it is acknowledged in the reviewed acknowledgements file, and
 * the pipeline's own review gates the apply).
 *
 * Environment: `SOURCE_PROVIDER` (GitHub, GitLab, Bitbucket), `REPOSITORY` (`owner/name`),
 * `BASE_BRANCH`, optionally `REVIEW_COMMENT_TOKEN`.
 */
const PULL_REQUEST_SCRIPT = `set -euo pipefail
base_branch="\${CODEBUILD_WEBHOOK_BASE_REF:-refs/heads/$BASE_BRANCH}"
base_branch="\${base_branch#refs/heads/}"
git fetch --no-tags origin "+refs/heads/$base_branch:refs/remotes/origin/$base_branch"
base="origin/$base_branch"
pnpm exec biome ci .
pnpm exec turbo run lint typecheck test --filter="...[$base]"

mkdir -p pr-review
review=0
if git diff --quiet "$base...HEAD" -- ${INFRA_PATHS.join(' ')}; then
  echo "No infrastructure input changed since $base: no plan review needed." > pr-review/review.md
else
  set +e
  pnpm plan:review --against "$base" --format md --out-dir pr-review --commit "$(git rev-parse HEAD)"
  review=$?
  set -e
fi
[ -f pr-review/review.md ] || echo "The plan review failed (exit $review) before writing a review: see the build log." > pr-review/review.md
cat pr-review/review.md

pr="\${CODEBUILD_WEBHOOK_TRIGGER#pr/}"
if [ -n "\${REVIEW_COMMENT_TOKEN:-}" ] && [[ "$pr" =~ ^[0-9]+$ ]]; then
  # A comment holds at most 65536 characters on GitHub: the first screen carries the verdict anyway.
  head -c 60000 pr-review/review.md > pr-review/comment.md
  case "$SOURCE_PROVIDER" in
    GitHub)
      jq -Rs '{body: .}' pr-review/comment.md > pr-review/comment.json
      curl -fsS -X POST -H "Authorization: Bearer $REVIEW_COMMENT_TOKEN" -H "Accept: application/vnd.github+json" \\
        --data-binary @pr-review/comment.json "https://api.github.com/repos/$REPOSITORY/issues/$pr/comments" > /dev/null ;;
    GitLab)
      jq -Rs '{body: .}' pr-review/comment.md > pr-review/comment.json
      project="$(printf '%s' "$REPOSITORY" | jq -sRr @uri)"
      curl -fsS -X POST -H "PRIVATE-TOKEN: $REVIEW_COMMENT_TOKEN" -H "Content-Type: application/json" \\
        --data-binary @pr-review/comment.json "https://gitlab.com/api/v4/projects/$project/merge_requests/$pr/notes" > /dev/null ;;
    Bitbucket)
      jq -Rs '{content: {raw: .}}' pr-review/comment.md > pr-review/comment.json
      curl -fsS -X POST -H "Authorization: Bearer $REVIEW_COMMENT_TOKEN" -H "Content-Type: application/json" \\
        --data-binary @pr-review/comment.json "https://api.bitbucket.org/2.0/repositories/$REPOSITORY/pullrequests/$pr/comments" > /dev/null ;;
    *) echo "unknown SOURCE_PROVIDER '$SOURCE_PROVIDER'" >&2; exit 1 ;;
  esac
  echo "review posted on pull request $pr"
fi
case "$review" in
  0|2|3) ;;
  4) echo "the plan review found unacknowledged RED items" >&2; exit 1 ;;
  *) echo "the plan review failed (exit $review)" >&2; exit 1 ;;
esac`;

export function pullRequestBuildspec(): string {
  return terraformBuildspec({ node: true, afterTerraform: PROVIDER_MIRROR, build: PULL_REQUEST_SCRIPT });
}
