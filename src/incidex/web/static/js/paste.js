// The paste page's optional save: posts the pasted article to /api/articles with the
// write token the user typed (a Bearer header, so the token never lands in a URL or log).
(function () {
  "use strict";
  var form = document.getElementById("save-form");
  if (!form) {
    return;
  }
  var status = document.getElementById("save-status");

  // Written with text nodes so a message echoing user input can never become markup.
  function show(text, articleId) {
    status.textContent = text;
    if (articleId) {
      var link = document.createElement("a");
      link.href = "/articles/" + encodeURIComponent(articleId);
      link.textContent = "Open the stored article";
      status.appendChild(document.createTextNode(" "));
      status.appendChild(link);
    }
  }

  function report(response, body) {
    if (response.ok && body) {
      var n = body.incidents ? body.incidents.length : 0;
      show("Saved (" + body.status + "): " + n + " incident(s).", body.document_id);
      return;
    }
    var detail = body && body.detail ? body.detail : response.statusText;
    if (typeof detail !== "string") {
      detail = JSON.stringify(detail);
    }
    show("Not saved (" + response.status + "): " + detail, null);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = new FormData(form);
    var payload = { text: fields.get("text") };
    if (fields.get("url")) {
      payload.url = fields.get("url");
    }
    if (fields.get("published")) {
      payload.published = fields.get("published");
    }
    show("Saving…", null);
    fetch(form.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + fields.get("token") },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        report(response, body);
      });
    }).catch(function (err) {
      show("Not saved: " + err.message, null);
    });
  });
})();
