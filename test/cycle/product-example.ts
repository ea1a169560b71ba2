/** The example goal of PRODUCT.md's "A goal" section, verbatim, as a fixture. */
export const PRODUCT_EXAMPLE = {
  name: "restock-widgets",
  every: "1m",
  params: { reorder_point: 20, daily_budget: 500 },
  observe: {
    stock: { from: "record", collection: "inventory", key: "widget", path: "qty" },
    price: { from: "http", url: "https://supplier.example/price", path: "data.price" },
    orders: { from: "push" },
    errors: { from: "metric", name: "http.5xx.rate" },
  },
  keep: 100,
  orient: {
    avg_price: "mean(history.price)",
    need: "stock < reorder_point",
    qty: "max(0, 100 - stock)",
  },
  decide: {
    policy: "first",
    rules: [
      {
        id: "reorder",
        when: "need and qty * price <= daily_budget",
        for: "2m",
        cooldown: "1h",
        do: "order",
      },
      { id: "spike", when: "price > 2 * avg_price", do: "notify" },
    ],
  },
  act: {
    order: { webhook: "https://erp.example/orders", body: { sku: "widget", qty: "=qty" } },
    notify: { webhook: "https://hooks.example/alerts", body: { text: "=concat('price ', price)" } },
  },
  guard: { max_actions_per_hour: 10, allow_hosts: ["erp.example", "hooks.example"] },
  done: "stock >= 1000",
};
