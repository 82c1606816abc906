#!/usr/bin/env bash
# Clone every repository in bench/precision/repos.json into DIR/owner+name/repo (bare, full history),
# the layout run.ts and fix-check.ts read with --mirrors DIR. A clone that exists is fetched again only
# when it lacks the pinned commit. Nothing is checked out and nothing lands in this repository.
#
#   bench/precision/fetch.sh DIR [owner/name ...]      # all repositories, or only those named
#
# GIT_BASE (default https://github.com) is where the repositories are cloned from; REPOS_JSON (default
# bench/precision/repos.json) is the list.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: bench/precision/fetch.sh DIR [owner/name ...]}"
shift
base="${GIT_BASE:-https://github.com}"
mkdir -p "$dir"

mapfile -t rows < <(node -e '
const repos = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const only = new Set(process.argv.slice(2).map((s) => s.toLowerCase()));
for (const r of repos) if (only.size === 0 || only.has(r.repo.toLowerCase())) console.log(`${r.repo} ${r.commit}`);
' "${REPOS_JSON:-$here/repos.json}" "$@")
if [[ ${#rows[@]} -eq 0 ]]; then echo "fetch.sh: no repository matches" >&2; exit 2; fi

failed=0
for row in "${rows[@]}"; do
  repo="${row% *}"
  commit="${row#* }"
  target="$dir/${repo/\//+}/repo"
  if [[ ! -d "$target" ]]; then
    echo "cloning $repo"
    if ! git clone --bare --quiet "$base/$repo.git" "$target"; then
      echo "fetch.sh: cannot clone $repo" >&2
      failed=1
      continue
    fi
  fi
  if ! git --git-dir="$target" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "fetching $repo (pinned commit ${commit:0:12} missing)"
    git --git-dir="$target" fetch --quiet "$base/$repo.git" "$commit" || git --git-dir="$target" fetch --quiet --all || true
  fi
  if ! git --git-dir="$target" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "fetch.sh: $repo has no commit $commit" >&2
    failed=1
  fi
done
exit $failed
