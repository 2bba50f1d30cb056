import { terraformLiteral, yamlScript } from './terraform-install.js';

/**
 * Buildspec of the `images` project: builds the frontend and backend images from the source
 * revision and pushes them to the app stack's ECR repositories tagged with the full commit SHA
 * (`IMAGE_TAG`, from the pipeline's source variables). Tags are immutable, so a revision already
 * pushed is skipped rather than failed. It deploys nothing: releasing an image is a reviewed change
 * of `ecs.<app>.imageTag` in the environment config, applied by the infrastructure pipeline.
 *
 * Environment: `IMAGE_TAG`, `PLATFORM` (`linux/amd64` or `linux/arm64`), and for each app
 * `<APP>_REPOSITORY_URI`, `<APP>_CONTEXT`, `<APP>_DOCKERFILE`.
 */
const IMAGES_PRE_BUILD = `set -euo pipefail
if ! [[ "$IMAGE_TAG" =~ ^[0-9a-f]{40}$ ]]; then
  echo "IMAGE_TAG must be a full commit SHA, got '$IMAGE_TAG'" >&2
  exit 1
fi
registry="\${FRONTEND_REPOSITORY_URI%%/*}"
aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$registry"`;

const IMAGES_BUILD = `set -euo pipefail
build_and_push() {
  local uri="$1" context="$2" dockerfile="$3"
  local repository="\${uri#*/}" out
  if out=$(aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$IMAGE_TAG" 2>&1); then
    echo "$repository:$IMAGE_TAG already pushed (tags are immutable): skipped"
    return 0
  fi
  if ! grep -q ImageNotFoundException <<<"$out"; then
    echo "$out" >&2
    return 1
  fi
  docker build --pull --platform "$PLATFORM" --file "$dockerfile" \\
    --label "org.opencontainers.image.revision=$IMAGE_TAG" --tag "$uri:$IMAGE_TAG" "$context"
  docker push "$uri:$IMAGE_TAG"
}
build_and_push "$FRONTEND_REPOSITORY_URI" "$FRONTEND_CONTEXT" "$FRONTEND_DOCKERFILE"
build_and_push "$BACKEND_REPOSITORY_URI" "$BACKEND_CONTEXT" "$BACKEND_DOCKERFILE"
printf '{"imageTag":"%s","frontend":"%s","backend":"%s"}\\n' "$IMAGE_TAG" \\
  "$FRONTEND_REPOSITORY_URI:$IMAGE_TAG" "$BACKEND_REPOSITORY_URI:$IMAGE_TAG" > images.json
cat images.json`;

export function imagesBuildspec(): string {
  return terraformLiteral(`version: 0.2
env:
  shell: bash
phases:
  pre_build:
    commands:
${yamlScript(IMAGES_PRE_BUILD, 6)}
  build:
    commands:
${yamlScript(IMAGES_BUILD, 6)}
artifacts:
  files:
    - images.json
`);
}
