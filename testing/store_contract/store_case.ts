import type { Store } from "../../shared/store/store.ts";

/** Registers one case of the store contract: `fn` gets a fresh, empty store, closed after. */
export type StoreCase = (title: string, fn: (store: Store) => Promise<void>) => void;
