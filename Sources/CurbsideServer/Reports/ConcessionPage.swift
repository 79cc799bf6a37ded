/// The concessionaire's report page: one static document that asks for a
/// staff token (or takes it from the address's #token=), then reads the
/// month's report, charts and CSV files through the API with it. It holds no
/// data itself, so it is served to anyone; the API decides who sees figures.
enum ConcessionPage {
    static let html = #"""
    <!doctype html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Curbside · 特许经营报表 Concession report</title>
    <style>
      body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #212529; background: #f8f9fa; }
      header { background: #045a8d; color: #fff; padding: 12px 24px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
      header h1 { font-size: 18px; margin: 0 auto 0 0; }
      main { padding: 16px 24px; max-width: 1200px; }
      .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
      .card { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px #0002; }
      .card b { display: block; font-size: 20px; }
      table { border-collapse: collapse; background: #fff; margin: 8px 0 20px; }
      th, td { padding: 4px 10px; border-bottom: 1px solid #dee2e6; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      .met { color: #1b7f3b; } .missed { color: #b02a37; }
      img { max-width: 100%; background: #fff; display: block; margin: 8px 0 20px; }
      #error { color: #b02a37; }
    </style>
    </head>
    <body data-state="waiting">
    <header>
      <h1>特许经营报表 · Concession report</h1>
      <label>月份 Month <input id="month" type="month"></label>
      <label>令牌 Token <input id="token" type="password" size="24"></label>
      <button id="show">显示 Show</button>
    </header>
    <main>
      <p id="error" role="alert"></p>
      <section id="report" hidden>
        <h2 id="title"></h2>
        <div class="cards" id="cards"></div>
        <h3>考核指标 KPIs</h3>
        <table id="kpis"><thead><tr><th>KPI</th><th>Value</th><th>Target</th><th>Result</th></tr></thead><tbody></tbody></table>
        <h3>每日收入 Revenue by day</h3>
        <img id="revenue-chart" alt="Revenue by day">
        <h3>分时段占用 Occupancy by hour and zone</h3>
        <img id="occupancy-chart" alt="Occupancy by hour and zone">
        <h3>分区 Zones</h3>
        <table id="zones"></table>
        <h3>路段 Road segments</h3>
        <table id="segments"></table>
        <h3>支付渠道 Channels</h3>
        <table id="channels"></table>
        <h3>每日 Days</h3>
        <table id="days"></table>
        <h3>下载 Downloads</h3>
        <p id="downloads"></p>
      </section>
    </main>
    <script>
    const yuan = fen => (fen < 0 ? "-" : "") + "¥" + (Math.abs(fen) / 100).toFixed(2);
    const hundredths = (value, kpi) => value === undefined ? "—" : (value / 100).toFixed(2) + (kpi === "turnover" ? "" : "%");
    const cell = (tag, text, cls) => { const c = document.createElement(tag); c.textContent = text; if (cls) c.className = cls; return c; };
    const params = new URLSearchParams(location.hash.slice(1));
    const monthInput = document.getElementById("month"), tokenInput = document.getElementById("token");
    monthInput.value = params.get("month") || new Date().toISOString().slice(0, 7);
    tokenInput.value = params.get("token") || sessionStorage.getItem("curbside-token") || "";

    async function fetchOK(path, token) {
      const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.message || response.status + " " + response.statusText);
      }
      return response;
    }

    function table(id, head, rows) {
      const t = document.getElementById(id);
      t.replaceChildren();
      const tr = document.createElement("tr");
      head.forEach(h => tr.append(cell("th", h)));
      t.append(tr);
      rows.forEach(r => { const row = document.createElement("tr"); r.forEach(v => row.append(cell("td", v))); t.append(row); });
    }

    const moneyHead = ["应收 Receivable", "免收 Exempt", "减免 Discounts", "实收 Received", "退款 Refunds", "追缴 Recovered", "欠费 Arrears"];
    const money = r => [yuan(r.figures.receivable_fen), yuan(r.figures.exemptions_fen), yuan(r.figures.discounts_fen), yuan(r.figures.received_fen),
                        yuan(r.figures.refunds_fen), yuan(r.figures.arrears_recovered_fen), yuan(r.arrears_fen)];

    async function show() {
      const month = monthInput.value, token = tokenInput.value;
      document.body.dataset.state = "loading";
      document.getElementById("error").textContent = "";
      try {
        sessionStorage.setItem("curbside-token", token);
        const base = "/v1/reports/months/" + month;
        const report = await (await fetchOK(base, token)).json();
        document.getElementById("title").textContent = report.contract_id + " · " + report.period;
        const t = report.totals, s = report.share;
        const cards = [["应收 Receivable", yuan(t.receivable_fen)], ["实收 Received", yuan(t.received_fen)], ["退款 Refunds", yuan(t.refunds_fen)],
                       ["期末欠费 Arrears", yuan(report.arrears_closing_fen)], ["分成基数 Share basis", yuan(s.basis_fen)],
                       ["应缴经营费 Share owed", yuan(s.owed_fen)]];
        document.getElementById("cards").replaceChildren(...cards.map(([label, value]) => {
          const c = cell("div", label, "card"); c.append(cell("b", value)); c.dataset.figure = label; return c;
        }));
        const body = document.querySelector("#kpis tbody");
        body.replaceChildren(...report.kpis.map(k => {
          const row = document.createElement("tr");
          row.dataset.kpi = k.kpi;
          row.append(cell("td", k.kpi), cell("td", hundredths(k.value_hundredths, k.kpi)), cell("td", k.target || "—"),
                     cell("td", k.met === undefined ? "—" : k.met ? "达标 met" : "未达标 missed", k.met === undefined ? "" : k.met ? "met" : "missed"));
          return row;
        }));
        table("zones", ["Zone", ...moneyHead], report.zones.map(r => [r.key, ...money(r)]));
        table("segments", ["Segment", ...moneyHead], report.segments.map(r => [r.key + " (" + (r.zone || "") + ")", ...money(r)]));
        table("channels", ["Channel", "实收 Received", "退款 Refunds", "净额 Net"], report.channels.map(r =>
          [r.key, yuan(r.figures.received_fen), yuan(r.figures.refunds_fen), yuan(r.figures.net_received_fen)]));
        table("days", ["Date", ...moneyHead], report.days.map(r => [r.key, ...money(r)]));
        await Promise.all(["revenue", "occupancy"].map(async chart => {
          const blob = await (await fetchOK(base + "/charts/" + chart, token)).blob();
          const img = document.getElementById(chart + "-chart");
          await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = reject; img.src = URL.createObjectURL(blob); });
          img.dataset.size = img.naturalWidth + "x" + img.naturalHeight;
        }));
        const downloads = document.getElementById("downloads");
        downloads.replaceChildren();
        for (const name of ["summary", "days", "zones", "segments", "channels", "occupancy"]) {
          const blob = await (await fetchOK(base + "/csv/" + name, token)).blob();
          const link = cell("a", name + ".csv ");
          link.href = URL.createObjectURL(blob);
          link.download = month + "-" + name + ".csv";
          link.dataset.bytes = blob.size;
          downloads.append(link, " ");
        }
        document.getElementById("report").hidden = false;
        document.body.dataset.state = "ready";
      } catch (error) {
        document.getElementById("error").textContent = error.message;
        document.body.dataset.state = "failed";
      }
    }
    document.getElementById("show").addEventListener("click", show);
    if (tokenInput.value) show();
    </script>
    </body>
    </html>
    """#
}
