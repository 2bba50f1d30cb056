/**
 * Shell that installs a pinned Terraform in a CodeBuild container: the release zip is checked
 * against HashiCorp's published SHA256SUMS before it is unpacked, so a truncated or swapped
 * download fails the build instead of running. `TERRAFORM_VERSION` and `TERRAFORM_ARCH`
 * (`amd64`/`arm64`) come from the project's environment.
 */
export const INSTALL_TERRAFORM = `set -euo pipefail
# Every command of a buildspec runs in one shell: never \`cd\` here, or the build phase would run
# from the download directory instead of the source checkout.
tf_download="$(mktemp -d)"
tf_base="https://releases.hashicorp.com/terraform/$TERRAFORM_VERSION"
tf_zip="terraform_\${TERRAFORM_VERSION}_linux_\${TERRAFORM_ARCH}.zip"
curl -fsSLo "$tf_download/$tf_zip" "$tf_base/$tf_zip"
curl -fsSLo "$tf_download/terraform_SHA256SUMS" "$tf_base/terraform_\${TERRAFORM_VERSION}_SHA256SUMS"
awk -v d="$tf_download" -v z="$tf_zip" '$2 == z { print $1 "  " d "/" z }' "$tf_download/terraform_SHA256SUMS" \\
  | sha256sum -c -
unzip -o -q "$tf_download/$tf_zip" -d /usr/local/bin terraform
rm -rf "$tf_download"
terraform version`;

/** Indents a multi-line shell script as a YAML block scalar item (`- |`) at the given depth. */
export function yamlScript(script: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return `${pad}- |\n${script
    .split('\n')
    .map((line) => (line.length > 0 ? `${pad}  ${line}` : ''))
    .join('\n')}`;
}

/**
 * Escapes Terraform template syntax (`${`, `%{`) so shell parameter expansions in a buildspec reach
 * CodeBuild literally instead of being read as Terraform interpolation.
 */
export function terraformLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` itself means one `$`.
  return text.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}
