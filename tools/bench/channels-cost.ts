import { PRICES, PRICES_AS_OF, PRICES_REGION } from "../cost/prices";

// npm run bench:channels-cost: what one publish costs beside one whole-table broadcast, from
// tools/cost/prices.ts. Per recipient: one API Gateway message (<= 32 KB) and the publish
// function's time (MS_PER_RECIPIENT, measured by npm run bench:channels on this machine; Lambda's
// own figure differs); items read: the channel's members (Query) or every connection (Scan).

/** Bytes of one member item and one connection row (attribute names and values, DynamoDB's item size rule), rounded up. */
const MEMBER_ITEM_BYTES = 100;
const CONNECTION_ITEM_BYTES = 120;
/** An eventually consistent read: 0.5 read request unit per 4 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html). */
const READ_UNIT_BYTES = 4096;
const MEMORY_GB = 256 / 1024;
const MS_PER_RECIPIENT = Number(process.env.MS_PER_RECIPIENT ?? 0.5);

function perPublish(recipients: number, itemsRead: number, itemBytes: number) {
  const readUnits = Math.ceil((itemsRead * itemBytes) / READ_UNIT_BYTES) * 0.5;
  const dynamo = (readUnits / 1e6) * PRICES.dynamoReads.usd;
  const messages = (recipients / 1e6) * PRICES.websocketMessages.usd;
  const lambda = PRICES.lambdaRequests.usd / 1e6 + ((recipients * MS_PER_RECIPIENT) / 1000) * MEMORY_GB * PRICES.lambdaArmGbSecond.usd;
  return { readUnits, dynamo, messages, lambda, total: dynamo + messages + lambda };
}

const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;

export function costTable(): string[] {
  const rows = [
    `Prices of ${PRICES_AS_OF}, ${PRICES_REGION} (${PRICES.dynamoReads.source}, ${PRICES.websocketMessages.source}, ${PRICES.lambdaRequests.source}); ${MS_PER_RECIPIENT} ms of a 256 MB function per recipient.`,
    "",
    "| connections | what | recipients | items read | read units | DynamoDB | API Gateway messages | Lambda | per publish | per million publishes |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const connections of [10_000, 100_000, 1_000_000]) {
    for (const [what, recipients, read, bytes] of [
      ["publish to a channel of 1,000", 1000, 1000, MEMBER_ITEM_BYTES],
      ["publish to a channel of 10,000", 10_000, 10_000, MEMBER_ITEM_BYTES],
      ["sendmessage to everyone", connections, connections, CONNECTION_ITEM_BYTES],
    ] as const) {
      const c = perPublish(recipients, read, bytes);
      rows.push(
        `| ${connections.toLocaleString("en")} | ${what} | ${recipients.toLocaleString("en")} | ${read.toLocaleString("en")} | ${c.readUnits} | ${usd(c.dynamo)} | ${usd(c.messages)} | ${usd(c.lambda)} | ${usd(c.total)} | $${(c.total * 1e6).toFixed(0)} |`,
      );
    }
  }
  return rows;
}

console.log(costTable().join("\n"));
