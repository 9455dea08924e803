#!/usr/bin/env bash
# The nightly drift workflow's follow-up: on drift, adopt the dashboard's edits into the files
# (`triggersync adopt`) and open or update ONE pull request "Adopt changes made in Zendesk",
# from one fixed branch, with the drift report as its body. Merging it adopts the edits;
# closing it and running the apply workflow reverts them. With no drift, an open one is
# closed. Never two: the pull request is found by its branch.
#
# Reads: DRIFT_EXIT (0 no drift, 2 drift), REPORT_FILE (drift --format markdown), TRIGGERS_DIR,
#        ADOPT_BRANCH (default triggersync/adopt), BASE_BRANCH (default main), RUN_URL,
#        GH_TOKEN, GITHUB_REPOSITORY, the TRIGGERSYNC_* credentials; a checkout whose `origin`
#        this job may push to.
# Exit: 0 done; 1 drift that could not all be adopted (the pull request holds the rest), or
#       an error.
set -euo pipefail

branch=${ADOPT_BRANCH:-triggersync/adopt}
base=${BASE_BRANCH:-main}
title="Adopt changes made in Zendesk"
open=$(gh pr list --repo "$GITHUB_REPOSITORY" --head "$branch" --state open \
  --json number --jq '.[0].number // empty')

if [ "$DRIFT_EXIT" = 0 ]; then
  if [ -n "$open" ]; then
    gh pr close "$open" --repo "$GITHUB_REPOSITORY" --delete-branch \
      --comment "No drift any more ([run]($RUN_URL)): the account matches the configuration." >&2
  fi
  exit 0
fi
if [ "$DRIFT_EXIT" != 2 ]; then
  echo "::error::drift failed (exit ${DRIFT_EXIT:-none}); nothing adopted"
  exit 1
fi

adopted=0
triggersync adopt "$TRIGGERS_DIR" || adopted=$?
if [ "$adopted" -gt 1 ]; then
  exit "$adopted"
fi

git checkout -B "$branch" >&2
git add -A -- "$TRIGGERS_DIR"
if git diff --cached --quiet; then
  echo "::error::drift found, but adopt changed no file; see the drift report in the log"
  exit 1
fi
git -c user.name="github-actions[bot]" \
  -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
  commit --quiet -m "$title" -m "Found by $RUN_URL"
# The branch holds one commit on top of the base, rewritten each night: force is its nature.
git push --quiet --force origin "$branch" >&2

body=$(mktemp)
trap 'rm -f "$body"' EXIT
{
  echo "Someone changed triggers in the Zendesk dashboard. This pull request writes those"
  echo "changes into the configuration (\`triggersync adopt\`): merge it to keep them, or close"
  echo "it and run the apply workflow to revert them."
  if [ "$adopted" -eq 1 ]; then
    echo
    echo "**Not everything could be adopted**: see the warnings in [the run]($RUN_URL)."
  fi
  echo
  cat "$REPORT_FILE"
  echo
  echo "Updated by [this run]($RUN_URL)."
} > "$body"
if [ -n "$open" ]; then
  gh pr edit "$open" --repo "$GITHUB_REPOSITORY" --body-file "$body" >&2
else
  gh pr create --repo "$GITHUB_REPOSITORY" --base "$base" --head "$branch" --title "$title" \
    --body-file "$body" >&2
fi
exit "$adopted"
