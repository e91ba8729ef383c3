import { formatDay } from "../core/days.ts";
import type { FileFormat, FileSink, WrittenTable } from "../data/table-writer.ts";
import { NULL_INT } from "../data/table-writer.ts";
import type { SimEvent } from "./calendar.ts";
import { CATEGORIES } from "./categories.ts";
import { type Chain, ID, idOf } from "./chain.ts";
import type { Promo } from "./promos.ts";
import { col, sourceTable } from "./tables.ts";

/** Writes the small tables known before the first day: dcs, stores, products, promos, calendar_events. */
export async function writeDimensions(
  sink: FileSink,
  dir: string,
  format: FileFormat,
  chain: Chain,
  promos: readonly Promo[],
  events: readonly SimEvent[],
): Promise<WrittenTable[]> {
  const open = async (name: string) => {
    const t = sourceTable(name);
    return { t, w: await sink.writer(t, { dir, format, single: true }) };
  };
  const out: WrittenTable[] = [];
  const region = (r: number) => idOf(ID.region, r);

  const dcs = await open("dcs");
  chain.regions.forEach((_, d) => {
    dcs.w.num(col(dcs.t, "dc_id"), d);
    dcs.w.text(col(dcs.t, "name"), `Distribution centre ${d + 1}`);
    dcs.w.text(col(dcs.t, "region"), region(d));
    dcs.w.end();
  });
  out.push(await dcs.w.finish());

  const st = await open("stores");
  const sc = (n: string) => col(st.t, n);
  for (const s of chain.stores) {
    st.w.num(sc("store_id"), s.index);
    st.w.num(sc("dc_id"), s.dc);
    st.w.text(sc("city"), s.city);
    st.w.text(sc("region"), region(s.region));
    st.w.num(sc("latitude"), s.latitude);
    st.w.num(sc("longitude"), s.longitude);
    st.w.num(sc("size_m2"), s.sizeM2);
    st.w.text(sc("format"), s.format);
    st.w.num(sc("open_date"), s.open);
    st.w.num(sc("close_date"), NULL_INT);
    st.w.end();
  }
  out.push(await st.w.finish());

  const pr = await open("products");
  const pc = (n: string) => col(pr.t, n);
  for (const p of chain.products) {
    const cat = CATEGORIES[p.category]!;
    pr.w.num(pc("product_id"), p.index);
    pr.w.text(
      pc("name"),
      `${p.l3.toLowerCase().replaceAll("_", " ")} ${p.brand.split("-").pop()} #${p.index + 1}`,
    );
    pr.w.text(pc("category_l1"), cat.l1);
    pr.w.text(pc("category_l2"), cat.l2);
    pr.w.text(pc("category_l3"), p.l3);
    pr.w.text(pc("brand"), p.brand);
    pr.w.text(pc("manufacturer"), p.manufacturer);
    pr.w.text(pc("price_group"), p.priceGroup);
    pr.w.num(pc("shelf_life_days"), p.shelfLife ?? NULL_INT);
    pr.w.num(pc("introduced_date"), p.introduced);
    pr.w.num(pc("delisted_date"), NULL_INT);
    pr.w.num(pc("weight_kg"), p.weightKg);
    pr.w.end();
  }
  out.push(await pr.w.finish());

  const po = await open("promos");
  const oc = (n: string) => col(po.t, n);
  for (const x of promos) {
    if (x.end < chain.start) continue;
    po.w.num(oc("promo_id"), x.index);
    po.w.num(oc("product_id"), x.product);
    po.w.num(oc("store_id"), x.scope === "store" ? x.store : NULL_INT);
    po.w.num(oc("dc_id"), x.scope === "dc" ? x.dc : NULL_INT);
    po.w.num(oc("start_date"), x.start);
    po.w.num(oc("end_date"), x.end);
    po.w.text(oc("promo_type"), x.type);
    po.w.num(oc("discount"), x.discount);
    po.w.end();
  }
  out.push(await po.w.finish());

  const ev = await open("calendar_events");
  const ec = (n: string) => col(ev.t, n);
  for (const e of events) {
    if (e.day < chain.start) continue;
    ev.w.num(ec("date"), e.day);
    ev.w.text(ec("region"), e.region < 0 ? "*" : region(e.region));
    ev.w.text(ec("name"), e.name);
    ev.w.text(ec("event_type"), e.type);
    ev.w.end();
  }
  out.push(await ev.w.finish());
  return out;
}

/** The hidden traits of the chain (truth/effects.json): what the model would have to learn. */
export function effectsJson(chain: Chain, extra: Record<string, unknown>): string {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return `${JSON.stringify(
    {
      start: formatDay(chain.start),
      categories: CATEGORIES,
      ...extra,
      stores: chain.stores.map((s) => ({
        store_id: idOf(ID.store, s.index),
        level: r(s.level),
        price_zone: s.zone,
        delivery_every_days: s.cycle,
        delivery_phase: s.phase,
      })),
      products: chain.products.map((p) => ({
        product_id: idOf(ID.product, p.index),
        level: r(p.level),
        trend_per_year: r(p.trend),
        elasticity: r(p.elasticity),
        nb_size: r(p.size),
        base_price: p.basePrice,
      })),
    },
    null,
    1,
  )}\n`;
}
