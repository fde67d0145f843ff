import { dynalitePeer, startDynalite } from "../../../testing/dynalite/start_dynalite.ts";
import { aDynamoDbStore } from "../../../testing/dynamodb_test_table.ts";
import { motoPeer, startMoto } from "../../../testing/moto/start_moto.ts";
import { storeContract } from "../../../testing/store_contract.ts";

/**
 * The store contract against DynamoDB on both local servers: dynalite
 * (strict validation, no TTL, no transactions) and moto_server (TTL,
 * transactions). One server per file, a fresh table per case.
 */
const dynalite = await dynalitePeer();
const moto = await motoPeer();

let dynaliteServer: Awaited<ReturnType<typeof startDynalite>> | null = null;
let motoServer: Awaited<ReturnType<typeof startMoto>> | null = null;

storeContract("createDynamoDbStore() on dynalite", async () => {
  dynaliteServer ??= await startDynalite();
  return aDynamoDbStore(dynaliteServer.endpoint);
}, { ignore: dynalite.ignore, sanitize: false });

storeContract("createDynamoDbStore() on moto", async () => {
  motoServer ??= await startMoto();
  return aDynamoDbStore(motoServer.endpoint);
}, { ignore: moto.ignore, sanitize: false });

// Stops the servers after the last case.
Deno.test({
  name: "(stops the DynamoDB test servers)",
  ignore: dynalite.ignore && moto.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await dynaliteServer?.close();
    await motoServer?.close();
  },
});
