extension PayPage {
    /// Plain CSS for a phone first; no web fonts, nothing fetched.
    static let style = """
        body{font:16px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1d2327;background:#f3f5f7}\
        header{background:#0b6e4f;color:#fff;padding:12px 16px;display:flex;align-items:center;justify-content:space-between}\
        header h1{font-size:18px;margin:0}header a{color:#fff}main{padding:12px 16px;max-width:560px;margin:0 auto}\
        .state{background:#fff;border-radius:8px;padding:12px 16px;margin-bottom:12px}.state h2{font-size:17px;margin:0}\
        .state.paid h2{color:#0b6e4f}.state.void h2,.state.unknown h2{color:#6c757d}.state.appealed h2{color:#b35c00}\
        .due{font-size:32px;font-weight:600;margin:4px 0 0}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;background:#fff;\
        border-radius:8px;padding:12px 16px;margin:0 0 12px}dt{color:#6c757d}dd{margin:0;word-break:break-all}\
        h3{font-size:15px;margin:16px 0 6px}table.lines{width:100%;background:#fff;border-radius:8px;border-collapse:collapse}\
        .lines td{padding:6px 16px;border-bottom:1px solid #eef0f2}.lines td:last-child{text-align:right;white-space:nowrap}\
        .evidence img{width:31%;margin-right:2%;border-radius:4px}#pay button{display:block;width:100%;font-size:17px;padding:12px;\
        margin:8px 0;border:0;border-radius:8px;color:#fff}button.wechat{background:#07c160}button.alipay{background:#1677ff}button.unionpay{background:#d7000f}button.bank_card{background:#2f4f6f}\
        #qr{display:block;width:220px;height:220px;margin:12px auto;image-rendering:pixelated}#progress{color:#b35c00}
        """

    /// Places the order through the button's channel, shows its QR code or goes to the channel's page (or hands
    /// WeChat's JSAPI parameters to WeixinJSBridge), then asks for the payment with `wait` until it settles and
    /// shows the page again: paid, with its receipt.
    static let script = """
        (function(){var c=JSON.parse(document.getElementById("pay-config").textContent),p=document.getElementById("progress");\
        function say(t){p.textContent=t}\
        function wait(id,n){if(n>45){return}fetch("/v1/pay/payments/"+id+"?wait=20").then(function(r){return r.ok?r.json():null})\
        .then(function(x){if(x&&x.status==="paid"){location.replace(c.done)}else if(x&&x.status==="closed"){say(c.expired)}\
        else{setTimeout(function(){wait(id,n+1)},x?0:2000)}},function(){setTimeout(function(){wait(id,n+1)},2000)})}\
        function pay(b){var body={channel:b.dataset.channel,scene:b.dataset.scene};if(c.bill){body.bills=[c.bill]}else{body.bay=c.bay}\
        if(c.openid&&body.scene==="in_app"){body.openid=c.openid}say(c.waiting);\
        fetch("/v1/pay/payments",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify(body)})\
        .then(function(r){return r.json().then(function(x){return{ok:r.ok,x:x}})}).then(function(a){if(!a.ok){say(a.x.message||c.failed);return}\
        var w=a.x.pay_with||{};document.body.dataset.payment=a.x.id;\
        if(w.jsapi&&window.WeixinJSBridge){WeixinJSBridge.invoke("getBrandWCPayRequest",w.jsapi,function(){wait(a.x.id,0)});return}\
        if(w.url){location.href=w.url;return}\
        if(w.qr_code){var q=document.getElementById("qr");q.src="/v1/pay/payments/"+a.x.id+"/qr.png";q.hidden=false;\
        document.getElementById("qr-hint").hidden=false}wait(a.x.id,0)},function(){say(c.failed)})}\
        var bs=document.querySelectorAll("#pay button");for(var i=0;i<bs.length;i++){bs[i].addEventListener("click",function(e){pay(e.currentTarget)})}\
        if(c.pay){var b=document.querySelector('#pay button[data-channel="'+c.pay+'"]');if(b){pay(b)}}})();
        """
}
