#!/usr/bin/env bash
# The merge workflow's decision: apply the plan reviewed on the pull request, and nothing else
# (`triggersync apply --plan FILE PATH`: applies only when a fresh plan of PATH has exactly the
# saved plan's changes). When there is no reviewed plan, or it no longer holds, apply nothing
# and publish the fresh plan for a new review: in the job summary and as a comment on the
# merged pull request.
#
# Reads: TRIGGERS_DIR; PLAN_FILE and REASON (from reviewed-plan.sh; PLAN_FILE empty when none);
#        PR (may be empty); RUN_URL; GITHUB_STEP_SUMMARY; GH_TOKEN and GITHUB_REPOSITORY for
#        the comment; the TRIGGERSYNC_* credentials.
# Exit: 0 applied, or nothing to apply; 1 not applied while changes wait for a review, or an
#       error.
set +e -uo pipefail # exit codes are read, not fatal

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
reason=${REASON:-}
pr=${PR:-}
on_pr=${pr:+ on #$pr}

if [ -n "${PLAN_FILE:-}" ]; then
  # stderr to the log as it comes, and kept for the comment.
  triggersync apply --plan "$PLAN_FILE" "$TRIGGERS_DIR" > "$work/apply.out" 2> >(tee "$work/apply.err" >&2)
  code=$?
  wait # for tee
  cat "$work/apply.out"
  if [ "$code" -eq 0 ]; then
    {
      echo "### triggersync: applied the plan reviewed$on_pr"
      echo
      echo '```'
      cat "$work/apply.out"
      echo '```'
    } >> "$summary"
    exit 0
  fi
  error=$(grep -E '^Error: ' "$work/apply.err" | tail -n 1)
  reason="the plan reviewed$on_pr was not applied (exit $code): ${error#Error: }"
fi

# What would happen now, for the next review. The summary gets the composed body below, not
# plan's own markdown as well.
env -u GITHUB_STEP_SUMMARY triggersync plan "$TRIGGERS_DIR" --format markdown --max-chars 60000 \
  --detailed-exitcode > "$work/fresh.md"
fresh=$?
if [ "$fresh" -eq 1 ]; then
  echo "::error::triggersync plan failed; ${reason:-nothing was applied}"
  exit 1
fi
if [ "$fresh" -eq 0 ] && [ -z "${PLAN_FILE:-}" ]; then
  echo "Nothing to apply ($reason); the account matches the configuration." >&2
  echo "### triggersync: nothing to apply" >> "$summary"
  exit 0
fi

{
  echo "## triggersync: nothing was applied"
  echo
  echo "Why: $reason."
  echo
  if [ "$fresh" -eq 2 ]; then
    echo "This is what applying the configuration would do **now**. Nobody has reviewed it:"
    echo "review it in a new pull request (its plan is then applied on merge), or run this"
    echo "workflow again by hand once the reviewed plan holds again."
  else
    echo "A fresh plan finds nothing to change: the account already matches the configuration."
  fi
  echo
  cat "$work/fresh.md"
  echo
  echo "[The run]($RUN_URL)"
} > "$work/body.md"
cat "$work/body.md" >> "$summary"
if [ -n "$pr" ]; then
  gh pr comment "$pr" --repo "$GITHUB_REPOSITORY" --body-file "$work/body.md" >&2 ||
    echo "::warning::could not comment on #$pr; the fresh plan is in the job summary"
fi
if [ "$fresh" -eq 2 ]; then
  echo "::error::nothing was applied: $reason; the fresh plan is in the job summary${pr:+ and on #$pr}"
  exit 1
fi
exit 0
