import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/*
 * Runs a synthesized CodeBuild buildspec the way CodeBuild 0.2 does, in phase order install ->
 * pre_build -> build -> post_build, starting in the source directory:
 *
 * - Each command of a phase is checked on its own exit status. A multi-line command (`- |`) is one
 *   command: without `set -e` only its last line's status counts (as in CodeBuild); with `set -e`
 *   (set in the command or carried from an earlier one) its first failing line ends it, failed.
 * - A failed command fails its phase and skips the phase's remaining commands; the phase's
 *   `finally` commands still run. With the default `on-failure: ABORT`, a failed install or
 *   pre_build skips every later phase; a failed build still runs post_build.
 * - Shell state carries from one command to the next and from phase to phase, as in CodeBuild's
 *   one-shell phases: the working directory, shell variables (exported or not) and `set`/`shopt`
 *   options. Shell functions do not: a command that needs one defines it.
 *
 * Each command runs in its own bash process that restores the state the previous one saved on
 * exit, so `set -e`, `exit` and a failing pipeline end that command exactly as they would end a
 * shell script, and the simulator still goes on to `finally` and post_build.
 *
 * External tools (terraform, pnpm, npm, docker, aws, curl, unzip, corepack, git) are recording
 * fakes on PATH: each call is logged as `<cwd>\t<tool> <args>` in `$WORK/calls.log`, and each
 * fake's behaviour is steered through files in `$WORK` (see FAKES).
 */

// biome-ignore lint/suspicious/noExplicitAny: buildspec and Terraform JSON are untyped documents
type Json = Record<string, any>;

const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

/** Terraform renders `$${` as `${` and `%%{` as `%{`: the buildspec CodeBuild receives. */
export function renderedBuildspec(project: Json): Json {
  const text = String(project.source.buildspec).replaceAll('$${', '${').replaceAll('%%{', '%{');
  return parseYaml(text) as Json;
}

const LOG = `log_call() { printf '%s\\t%s\\n' "$PWD" "$*" >> "$WORK/calls.log"; }`;

/**
 * The fakes. `terraform`: `plan` exits with the code in `<stack dir>/plan-exit` (0, 1 or 2; default 0)
 * and writes `tfplan` (`-out`); `show -json` prints `<stack dir>/plan.json` (default `{}`); `output
 * -json` prints `<stack dir>/outputs.json`. `pnpm plan:review` exits with `$WORK/review-exit`
 * (default 0) and writes review.{md,json,txt} to `--out-dir` from `$WORK/review.json`. `aws ecr
 * describe-images` fails with ImageNotFoundException unless `$WORK/ecr/<repo>/<tag>` exists.
 */
const FAKES: Record<string, string> = {
  terraform: `${LOG}
log_call terraform "$@"
dir=.
if [[ "$1" == -chdir=* ]]; then dir="\${1#-chdir=}"; shift; fi
case "$1" in
  version) echo "Terraform v0.0.0-fake" ;;
  init|apply|validate|providers) ;;
  plan)
    code=0; [ -f "$dir/plan-exit" ] && code=$(cat "$dir/plan-exit")
    for a in "$@"; do [[ "$a" == -out=* ]] && [ "$code" != 1 ] && echo saved > "$dir/\${a#-out=}"; done
    if [[ " $* " == *" -json "* ]]; then
      [ "$code" = 1 ] && echo '{"@level":"error","@message":"Error: fake plan failure","type":"diagnostic"}'
      echo '{"@level":"info","type":"version"}'
    else
      [ "$code" = 1 ] && echo "Error: fake plan failure" >&2
    fi
    exit "$code" ;;
  show)
    if [[ " $* " == *" -json "* ]]; then cat "$dir/plan.json" 2>/dev/null || echo '{}'
    else echo "Plan: 1 to add, 0 to change, 0 to destroy."; fi ;;
  output) cat "$dir/outputs.json" 2>/dev/null || echo '{}' ;;
  *) echo "fake terraform: unexpected $1" >&2; exit 64 ;;
esac`,
  pnpm: `${LOG}
log_call pnpm "$@"
if [ "$1" = "plan:review" ]; then
  out=""; prev=""
  for a in "$@"; do [ "$prev" = "--out-dir" ] && out="$a"; prev="$a"; done
  if [ -n "$out" ]; then
    mkdir -p "$out"
    cp "$WORK/review.json" "$out/review.json" 2>/dev/null || echo '{"verdict":"NO_CHANGES","headline":"No changes","items":[]}' > "$out/review.json"
    echo "# Plan review (fake)" > "$out/review.md"
    echo "plan review (fake)" > "$out/review.txt"
  fi
  exit "$(cat "$WORK/review-exit" 2>/dev/null || echo 0)"
fi
exit "$(cat "$WORK/pnpm-exit" 2>/dev/null || echo 0)"`,
  // `npm` exits with `$WORK/npm-exit` (default 0).
  npm: `${LOG}\nlog_call npm "$@"\nexit "$(cat "$WORK/npm-exit" 2>/dev/null || echo 0)"`,
  corepack: `${LOG}\nlog_call corepack "$@"`,
  docker: `${LOG}\nlog_call docker "$@"\n[ "$1" = login ] && cat > /dev/null\nexit 0`,
  // `git diff --quiet` exits with `$WORK/git-diff-exit` (default 1: the change touches the paths).
  git: `${LOG}
log_call git "$@"
case "$1" in
  rev-parse) if [ "$2" = --show-toplevel ]; then echo "$CODEBUILD_SRC_DIR"; else echo 0123456789abcdef0123456789abcdef01234567; fi ;;
  diff) exit "$(cat "$WORK/git-diff-exit" 2>/dev/null || echo 1)" ;;
esac
exit 0`,
  aws: `${LOG}
log_call aws "$@"
case "$1 $2" in
  "ecr get-login-password") echo fake-password ;;
  "ecr describe-images")
    repo=""; tag=""; prev=""
    for a in "$@"; do
      [ "$prev" = "--repository-name" ] && repo="$a"
      [[ "$a" == imageTag=* ]] && tag="\${a#imageTag=}"
      prev="$a"
    done
    if [ -f "$WORK/ecr/$repo/$tag" ]; then echo '{"imageDetails":[{"imageDigest":"'"$(cat "$WORK/ecr/$repo/$tag")"'"}]}'
    else echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation" >&2; exit 254; fi ;;
  "ecr batch-get-image")
    echo '{"images":[{"imageManifest":"{\\"schemaVersion\\":2}","imageManifestMediaType":"application/vnd.oci.image.manifest.v1+json"}],"failures":[]}' ;;
  "ecr put-image") echo '{"image":{"imageId":{"imageDigest":"sha256:fake"}}}' ;;
  "codepipeline start-pipeline-execution") echo exec-1 ;;
  "codepipeline get-pipeline-execution")
    if [[ " $* " == *artifactRevisions* ]]; then echo 0123456789abcdef0123456789abcdef01234567
    else cat "$WORK/pipeline-status" 2>/dev/null || echo Succeeded; fi ;;
  *) ;;
esac
exit 0`,
  // The real download is replaced by a fixed payload whose checksum file matches, so the
  // script's checksum verification runs for real.
  curl: `${LOG}
log_call curl "$@"
out=""; url=""; prev=""
for a in "$@"; do
  case "$prev" in -o|-fsSLo|-sSLo|-Lo) out="$a" ;; esac
  [[ "$a" == http* ]] && url="$a"
  prev="$a"
done
case "$url" in
  *SHA256SUMS)
    ver="$(basename "\${url%/*}")"
    printf '%s  terraform_%s_linux_amd64.zip\\n' "$(printf 'fake-zip' | sha256sum | cut -d' ' -f1)" "$ver" > "$out" ;;
  *.zip) printf 'fake-zip' > "$out" ;;
  *) [ -n "$out" ] && : > "$out" ;;
esac
exit 0`,
  unzip: `${LOG}\nlog_call unzip "$@"`,
};

export interface ShellRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `<cwd>\t<tool> <args>` per fake call, in order. */
  readonly calls: readonly { readonly cwd: string; readonly command: string }[];
  /** Values of `env.exported-variables` at the end of the build. */
  readonly exported: Readonly<Record<string, string>>;
  /** The phase that failed first, if any. */
  readonly failedPhase?: string;
}

export interface Workspace {
  /** `$WORK`: fake state and logs; the source directory is `<dir>/src`. */
  readonly dir: string;
  readonly src: string;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), 'bandup-codebuild-'));
  const src = path.join(dir, 'src');
  mkdirSync(src);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  for (const [tool, body] of Object.entries(FAKES)) {
    writeFileSync(path.join(bin, tool), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path.join(bin, tool), 0o755);
  }
  return { dir, src };
}

/** Environment variables of a project (Terraform references become plausible values). */
export function projectVariables(project: Json): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const v of (project.environment?.environment_variable ?? []) as Json[]) {
    vars[v.name] = String(v.value).replace(/\$\{[^}]*\}/g, (ref: string) =>
      /repository_url|repository-url|repositoryurl/i.test(ref)
        ? '111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/bandup-dev-app'
        : 'resolved-reference',
    );
  }
  return vars;
}

/**
 * Saved by every command's bash on exit, restored by the next one: working directory, variables
 * (bash's own dynamic and read-only ones aside) and options. The options come last, so `set -e`
 * or `set -u` never applies to the restoring itself.
 */
const SAVE_STATE = `__cb_save() {
  __cb_status=$?
  # Written from this shell, not read through $(...): a command substitution drops errexit.
  { set +o; shopt -p; } > "$__cb_state.options"
  set +e +u +o pipefail
  {
    printf 'cd -- %q\\n' "$PWD"
    for __cb_name in $(compgen -v); do
      case "$__cb_name" in
        __cb_*|BASH*|EPOCH*|FUNCNAME|GROUPS|HISTCMD|LINENO|PIPESTATUS|RANDOM|SRANDOM|SECONDS|PWD|OLDPWD|SHLVL|DIRSTACK|COMP_WORDBREAKS|OPTIND|_) continue ;;
      esac
      __cb_decl="$(declare -p "$__cb_name" 2>/dev/null)" || continue
      __cb_flags="\${__cb_decl#declare -}"
      [[ "\${__cb_flags%% *}" == *r* ]] && continue
      printf '%s\\n' "$__cb_decl"
    done
    cat "$__cb_state.options"
  } > "$__cb_state"
  exit "$__cb_status"
}`;

/** `bash -c` script of one command: `$1` is the state file, `$2` the command's file. */
const COMMAND_SHELL = `__cb_state="$1"; __cb_command="$2"; shift 2
[ -s "$__cb_state" ] && source "$__cb_state"
${SAVE_STATE}
trap __cb_save EXIT
# Not in a list (\`||\`, \`&&\`, \`if\`): there bash would ignore \`set -e\` inside the command.
source "$__cb_command"`;

/** Phases whose failure, under `on-failure: ABORT`, skips every later phase (post_build included). */
const ABORTING_PHASES: readonly string[] = ['install', 'pre_build'];

/**
 * Runs every phase of `buildspec` in `ws.src`, with the buildspec's own `env.variables`, then
 * `variables` (the project's and the pipeline action's, as CodeBuild layers them).
 */
export function runBuildspec(buildspec: Json, ws: Workspace, variables: Record<string, string>): ShellRun {
  const shell = buildspec.env?.shell ?? 'sh';
  if (shell !== 'bash') throw new Error(`codebuild-shell runs env.shell: bash buildspecs only, got ${shell}`);
  const exported: string[] = buildspec.env?.['exported-variables'] ?? [];
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.join(ws.dir, 'bin')}:${process.env.PATH}`,
    HOME: ws.dir,
    WORK: ws.dir,
    CODEBUILD_SRC_DIR: ws.src,
    CODEBUILD_RESOLVED_SOURCE_VERSION: '0123456789abcdef0123456789abcdef01234567',
    AWS_REGION: 'ap-southeast-1',
    AWS_DEFAULT_REGION: 'ap-southeast-1',
    ...Object.fromEntries(
      Object.entries((buildspec.env?.variables ?? {}) as Record<string, unknown>).map(([k, v]) => [
        k,
        String(v),
      ]),
    ),
    ...variables,
  };
  const state = path.join(ws.dir, 'shell-state.sh');
  let stdout = '';
  let stderr = '';
  let count = 0;
  /** Runs one command in the carried shell state; true when it exited 0. */
  const run = (command: string): boolean => {
    const file = path.join(ws.dir, `command-${count++}.sh`);
    writeFileSync(file, command);
    const r = spawnSync('bash', ['-c', COMMAND_SHELL, 'bash', state, file], {
      cwd: ws.src,
      env,
      encoding: 'utf8',
    });
    stdout += r.stdout;
    stderr += r.stderr;
    return r.status === 0;
  };

  const failed: string[] = [];
  for (const phase of PHASES) {
    const spec: Json | undefined = buildspec.phases?.[phase];
    if (!spec) continue;
    const onFailure = spec['on-failure'] ?? 'ABORT';
    if (onFailure !== 'ABORT') {
      throw new Error(`codebuild-shell models on-failure: ABORT only, got ${onFailure} in phase ${phase}`);
    }
    const skipped =
      phase === 'build' || phase === 'post_build'
        ? failed.some((p) => ABORTING_PHASES.includes(p))
        : failed.length > 0;
    if (skipped) continue;
    let ok = true;
    for (const command of (spec.commands ?? []) as string[]) {
      if (!run(command)) {
        ok = false;
        break;
      }
    }
    // `finally` runs whether or not a command failed; a failure there fails the phase too.
    for (const command of (spec.finally ?? []) as string[]) {
      if (!run(command)) {
        ok = false;
        break;
      }
    }
    if (!ok) failed.push(phase);
  }

  // Only exported variables reach the environment CodeBuild reads them from.
  const read = spawnSync(
    'bash',
    [
      '-c',
      '[ -s "$1" ] && source "$1"; shift; set +eu; for v in "$@"; do printenv "$v" > /dev/null && printf \'%s=%s\\0\' "$v" "$(printenv "$v")"; done; exit 0',
      'bash',
      state,
      ...exported,
    ],
    { cwd: ws.src, env, encoding: 'utf8' },
  );
  const exportedValues = Object.fromEntries(
    read.stdout
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const callsFile = path.join(ws.dir, 'calls.log');
  const calls = existsSync(callsFile)
    ? readFileSync(callsFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [cwd, command] = l.split('\t') as [string, string];
          return { cwd, command };
        })
    : [];
  return {
    status: failed.length > 0 ? 1 : 0,
    stdout,
    stderr,
    calls,
    exported: exportedValues,
    failedPhase: failed[0],
  };
}

/** Files in `ws.src` matching the buildspec's `artifacts.files` globs that exist (for assertions). */
export function artifactExists(ws: Workspace, relative: string): boolean {
  return existsSync(path.join(ws.src, relative));
}
