#!/usr/bin/env bash
# The merge workflow's first step: find the plan that was reviewed on the pull request merged
# as this commit (the artifact the plan workflow saved for the pull request's last commit),
# and download it. Whatever it finds, the next step decides (apply-reviewed.sh).
#
# Reads: GH_TOKEN, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_OUTPUT;
#        PLAN_WORKFLOW (default plan.yml), PLAN_ARTIFACT (default triggersync-plan),
#        PLAN_DIR (default reviewed-plan).
# Writes to GITHUB_OUTPUT: pr (the pull request's number, or empty), plan-file (the saved plan,
# or empty), reason (why there is none, in words).
set -euo pipefail

workflow=${PLAN_WORKFLOW:-plan.yml}
artifact=${PLAN_ARTIFACT:-triggersync-plan}
dir=${PLAN_DIR:-reviewed-plan}

found() {
  {
    echo "pr=$1"
    echo "plan-file=$2"
    echo "reason=$3"
  } >> "$GITHUB_OUTPUT"
  echo "${3:-found the plan reviewed on #$1: $2}" >&2
  exit 0
}

merged=$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" \
  --jq '[.[] | select(.merged_at != null)][0] // empty | "\(.number) \(.head.sha)"')
if [ -z "$merged" ]; then
  found "" "" "no pull request was merged as $GITHUB_SHA, so no plan was reviewed for it"
fi
read -r pr head <<< "$merged"

run=$(gh api "repos/$GITHUB_REPOSITORY/actions/workflows/$workflow/runs?head_sha=$head&status=success&per_page=1" \
  --jq '.workflow_runs[0].id // empty')
if [ -z "$run" ]; then
  found "$pr" "" "no successful $workflow run for the last commit of #$pr ($head)"
fi

rm -rf "$dir"
if ! gh run download "$run" --repo "$GITHUB_REPOSITORY" --name "$artifact" --dir "$dir" >&2; then
  found "$pr" "" "the $artifact artifact of run $run (#$pr) cannot be downloaded (expired?)"
fi
if [ ! -f "$dir/plan.json" ]; then
  found "$pr" "" "the $artifact artifact of run $run (#$pr) holds no plan.json"
fi
found "$pr" "$dir/plan.json" ""
