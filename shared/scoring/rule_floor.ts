/**
 * The plain rule held to a model's false-alert budget, as a floor under the
 * model's score, so that the model never warns later than that rule.
 *
 * Training chooses the rule's threshold on its own data as it chooses the
 * model's (the most episodes warned within the false-alert budget; see
 * models/README.md) and keeps it in the model's metadata
 * (`rule_floor_threshold`). At scoring, the rule's probability is mapped onto
 * the model's scale so that the rule's threshold lands on the model's and the
 * rule's re-arm level on the model's (both are the same share of their
 * threshold): linear below the threshold, linear from it to 1 above. The
 * model's score is then at least that, and its warnings start no later, and
 * end no earlier, than the rule's.
 */
export function ruleFloor(
  ruleProbability: number,
  ruleThreshold: number,
  modelThreshold: number,
): number {
  if (ruleProbability <= ruleThreshold) return (modelThreshold * ruleProbability) / ruleThreshold;
  if (ruleThreshold >= 1) return modelThreshold;
  return modelThreshold +
    ((1 - modelThreshold) * (ruleProbability - ruleThreshold)) / (1 - ruleThreshold);
}
