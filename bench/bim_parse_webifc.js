// bim_parse_webifc.js — times web-ifc under node: OpenModel ("open"), or OpenModel then GetLine on every line
// ("lines", the default). Prints: webifc-MODE bytes seconds entities.
const fs = require("fs");
const path = require("path");
const WebIFC = require(path.join(__dirname, "webifc/node_modules/web-ifc/web-ifc-api-node.js"));

async function main() {
  const file = process.argv[2];
  const mode = process.argv[3] || "lines";
  const data = fs.readFileSync(file);
  const api = new WebIFC.IfcAPI();
  await api.Init();
  const t0 = process.hrtime.bigint();
  const id = api.OpenModel(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { COORDINATE_TO_ORIGIN: false });
  const lines = api.GetAllLines(id);
  let n = 0;
  if (mode === "open") n = lines.size();
  else
    for (let i = 0; i < lines.size(); i++) {
      if (api.GetLine(id, lines.get(i))) n++;
    }
  const t1 = process.hrtime.bigint();
  console.log(`webifc-${mode} ${data.length} ${(Number(t1 - t0) / 1e9).toFixed(4)} ${n}`);
  api.CloseModel(id);
}
main().catch((e) => { console.error(e); process.exit(1); });
