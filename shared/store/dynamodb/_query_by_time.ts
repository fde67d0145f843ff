import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { type CursorPosition, decodeCursor, encodeCursor } from "../cursor.ts";
import { checkTimeRangeQuery, type Page, type TimeRangeQuery } from "../store.ts";
import type { BatchDeps, Item } from "./batch_requests.ts";
import { timeId, timeKey } from "./_keys.ts";
import type { StoreIndexName } from "./table_definition.ts";

/** Where a time-ordered list lives: a partition whose sort keys are `<time>#<id>`. */
export interface TimeList {
  /** The index to query; the table itself when absent. */
  index?: StoreIndexName;
  partitionAttr: string;
  partition: string;
  sortAttr: string;
  /** The full key (table and index attributes) of the item at a position: where a page resumes. */
  keyAt: (position: CursorPosition) => Item;
}

/**
 * One page of a time-ordered list: `before`/`after` (exclusive) become one
 * BETWEEN on the sort key, the cursor becomes the ExclusiveStartKey, and
 * one more item than the page is read to know whether there is a next page.
 * DynamoDB refuses a start key outside the range, so a cursor past either
 * end gives the whole range or an empty page instead.
 */
export async function queryByTime(
  deps: BatchDeps,
  list: TimeList,
  query: TimeRangeQuery,
): Promise<Page<Item>> {
  checkTimeRangeQuery(query);
  const ascending = query.order === "asc";
  const lower = query.after !== undefined ? timeKey(Math.floor(query.after) + 1) : "0";
  const upper = query.before !== undefined ? timeKey(Math.ceil(query.before)) : "~";
  if (lower >= upper) return { items: [], next_cursor: null };
  let start: Item | undefined;
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    const at = timeId(position.time, position.id);
    const behind = ascending ? at < lower : at > upper;
    const beyond = ascending ? at > upper : at < lower;
    if (beyond) return { items: [], next_cursor: null };
    if (!behind) start = list.keyAt(position);
  }
  const items: Item[] = [];
  while (items.length <= query.limit) {
    const response = await deps.client.send(
      new QueryCommand({
        TableName: deps.table,
        ...(list.index ? { IndexName: list.index } : { ConsistentRead: true }),
        KeyConditionExpression: "#p = :p AND #s BETWEEN :lower AND :upper",
        ExpressionAttributeNames: { "#p": list.partitionAttr, "#s": list.sortAttr },
        ExpressionAttributeValues: {
          ":p": { S: list.partition },
          ":lower": { S: lower },
          ":upper": { S: upper },
        },
        ScanIndexForward: ascending,
        Limit: query.limit + 1 - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(response.Items ?? []));
    if (!response.LastEvaluatedKey) break;
    start = response.LastEvaluatedKey;
  }
  if (items.length <= query.limit) return { items, next_cursor: null };
  const page = items.slice(0, query.limit);
  const last = page.at(-1)![list.sortAttr]!.S!;
  const cut = last.indexOf("#");
  return {
    items: page,
    next_cursor: encodeCursor({ time: Date.parse(last.slice(0, cut)), id: last.slice(cut + 1) }),
  };
}
