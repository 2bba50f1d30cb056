#!/usr/bin/env node
// A fake `aws ecr` for release tests, backed by a JSON file ($ECR_STATE):
// { "<repository>": [{ "digest", "tags": [], "pushedAt": <day>, "manifest" }] }.
// It follows ECR's semantics where the release flow depends on them: tags are immutable
// (ImageTagAlreadyExistsException), putting an existing manifest under a new tag adds the tag to
// that image (same digest, push time unchanged), and a missing tag is ImageNotFoundException.
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = process.env.ECR_STATE;
const state = JSON.parse(readFileSync(file, 'utf8'));
appendFileSync(`${file}.calls`, `${args.join(' ')}\n`);
const opt = (name) => args[args.indexOf(name) + 1];
const fail = (code, message) => {
  process.stderr.write(`An error occurred (${code}) when calling the operation: ${message}\n`);
  process.exit(254);
};
const [service, command] = args;
if (service !== 'ecr') fail('InvalidAction', `fake supports ecr only, got ${service}`);
const repo = state[opt('--repository-name')];
if (!repo) fail('RepositoryNotFoundException', opt('--repository-name'));
const id = opt('--image-ids') ?? '';
const find = () =>
  id.startsWith('imageTag=')
    ? repo.find((i) => i.tags.includes(id.slice('imageTag='.length)))
    : repo.find((i) => i.digest === id.slice('imageDigest='.length));
switch (command) {
  case 'describe-images': {
    const image = find();
    if (!image) fail('ImageNotFoundException', id);
    console.log(JSON.stringify({ imageDetails: [{ imageDigest: image.digest, imageTags: image.tags }] }));
    break;
  }
  case 'batch-get-image': {
    const image = find();
    console.log(
      JSON.stringify({
        images: image
          ? [
              {
                imageManifest: image.manifest,
                imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
              },
            ]
          : [],
        failures: image ? [] : [{ failureCode: 'ImageNotFound' }],
      }),
    );
    break;
  }
  case 'put-image': {
    const tag = opt('--image-tag');
    const manifestArg = opt('--image-manifest');
    const manifest = manifestArg.startsWith('file://')
      ? readFileSync(manifestArg.slice(7), 'utf8')
      : manifestArg;
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const holder = repo.find((i) => i.tags.includes(tag));
    if (holder && holder.digest !== digest) fail('ImageTagAlreadyExistsException', tag);
    const image = repo.find((i) => i.digest === digest);
    if (!image) fail('LayersNotFoundException', 'fake: only re-tagging an existing manifest is supported');
    if (!image.tags.includes(tag)) image.tags.push(tag);
    writeFileSync(file, JSON.stringify(state, null, 2));
    console.log(JSON.stringify({ image: { imageId: { imageDigest: digest, imageTag: tag } } }));
    break;
  }
  default:
    fail('InvalidAction', command);
}
