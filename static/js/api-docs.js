/* Starts Swagger UI on the API documentation page (templates/api/docs.html).
   A static file, not an inline script: the Content-Security-Policy allows only 'self'. */
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  const csrfToken = root.dataset.csrfToken;
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // No badge from the public validator: nothing leaves this site.
    validatorUrl: null,
    // Plain example bodies: the colour theme of the highlighter fails WCAG contrast.
    syntaxHighlight: false,
    requestInterceptor: function (request) {
      // The browser session needs the CSRF token on writes; a token request does not.
      if (request.method && request.method !== "GET" && csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
