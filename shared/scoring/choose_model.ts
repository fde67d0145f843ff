import type { ModelMetadata } from "../models/model_metadata.ts";
import type { Profile } from "../reading/mod.ts";

/** What the choice reads of a model: its metadata's scope and profile. */
export interface ChoosableModel {
  readonly metadata: Pick<ModelMetadata, "scope" | "profile">;
}

/**
 * The model that scores a device, from the models in use keyed by their
 * registry name, or null when none fits (the rule scores it then):
 *
 * - the device's own model: named after the device, scope `device`, trained
 *   on the device's profile;
 * - else its profile's model: named after the profile, scope `profile`.
 *
 * The consumer and the evaluation both choose through this function, so an
 * evaluation measures what production does.
 */
export function chooseModel<M extends ChoosableModel>(
  models: ReadonlyMap<string, M>,
  device: { device: string; profile: Profile },
): M | null {
  const own = models.get(device.device);
  if (own && own.metadata.scope === "device" && own.metadata.profile === device.profile) {
    return own;
  }
  const shared = models.get(device.profile);
  return shared && shared.metadata.scope === "profile" && shared.metadata.profile === device.profile
    ? shared
    : null;
}
