// Reads arrays of a Zarr store with zarrita (https://github.com/manzt/zarrita.js) and prints, per array, one JSON
// line: its path, data type, shape, chunk shape and every value in C order. The Java test compares each value with
// what it wrote.
//   node read_store.mjs STORE ARRAY...
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

const [store, ...paths] = process.argv.slice(2);
const root = zarr.root(new FileSystemStore(store));
const group = await zarr.open.v3(root, { kind: "group" });
console.log(JSON.stringify({ group: "/", attributes: group.attrs }));
for (const path of paths) {
  const array = await zarr.open.v3(root.resolve(path), { kind: "array" });
  const { data, shape } = await zarr.get(array);
  const values = Array.from(data, (v) => (typeof v === "bigint" ? v.toString() : v));
  console.log(JSON.stringify({ path, dtype: array.dtype, shape, chunks: array.chunks, values }));
}
