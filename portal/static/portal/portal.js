/* Applicant portal: uploads with a progress bar, and forms that go through once.
   Everything works without this file; it only improves what the person sees. */
(function () {
  "use strict";

  // Show the chosen file's name beside the (styled) picker.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("form[data-upload] input[type=file]")) return;
    var label = input.form.querySelector("[data-filename]");
    if (label) label.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件";
  });

  // A form marked data-once sends once: its buttons are disabled after the first submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
  });

  // Upload forms (data-upload) post with XMLHttpRequest to show progress, then replace the
  // materials section with the server's answer (which also carries any error beside the item).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload]") || !window.FormData || !window.XMLHttpRequest) return;
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length) return;  // let the server say what is missing
    event.preventDefault();
    var progress = form.querySelector("progress");
    var status = form.querySelector("[data-status]");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    if (progress) { progress.hidden = false; progress.value = 0; }
    if (status) status.textContent = "正在上传……";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round(e.loaded * 100 / e.total);
      if (progress) progress.value = percent;
      if (status) status.textContent = "已上传 " + percent + "%";
    });
    xhr.addEventListener("load", function () {
      var section = document.getElementById("materials");
      if ((xhr.status === 200 || xhr.status === 400) && section) {
        var holder = document.createElement("div");
        holder.innerHTML = xhr.responseText;
        var fresh = holder.querySelector("#materials");
        if (fresh) {
          section.replaceWith(fresh);
          var focus = fresh.querySelector("[data-focus]");
          if (focus) focus.focus();
          return;
        }
      }
      if (status) status.textContent = xhr.status === 413 ? "文件过大，请压缩或拆分后重新上传。"
        : "上传失败（" + xhr.status + "），请刷新页面后重试。";
      if (button) button.disabled = false;
    });
    xhr.addEventListener("error", function () {
      if (status) status.textContent = "网络连接中断，请重试。";
      if (button) button.disabled = false;
      if (progress) progress.hidden = true;
    });
    xhr.send(new FormData(form));
  });
})();
