// fhir-kit-client (npm), a FHIR client Fyren did not write, against a live Fyren:
// discovery (CapabilityStatement and SMART's metadata), search with paging by the
// Bundle's next links, read by id, and count through _summary=count, for every type.
// Run by fyren/api/tests/test_real_clients.py with BASE and TOKEN; prints one JSON line.
import { Client } from "fhir-kit-client";

const client = new Client({ baseUrl: `${process.env.BASE}/fhir`, bearerToken: process.env.TOKEN });
const out = { types: {} };
const capability = await client.capabilityStatement();
out.fhirVersion = capability.fhirVersion;
const smart = await client.smartAuthMetadata();
out.tokenUrl = smart.tokenUrl;
for (const { type } of capability.rest[0].resource) {
  let bundle = await client.search({ resourceType: type, searchParams: { _count: 2 } });
  const ids = [];
  while (bundle) {
    for (const entry of bundle.entry || []) {
      if (entry.search?.mode === "match") ids.push(entry.resource.id);
    }
    bundle = await client.nextPage({ bundle });
  }
  const counted = await client.search({ resourceType: type, searchParams: { _summary: "count" } });
  const read = ids.length ? await client.read({ resourceType: type, id: ids[0] }) : null;
  out.types[type] = { ids, total: counted.total, readId: read?.id ?? null };
}
console.log(JSON.stringify(out));
