// The registry UI: keeps the token in this tab's session storage, fetches each page's content
// from /ui/f/... with it as a bearer token, and navigates without reloading. The token is read
// from the login form or from the URL fragment (#token=...), which browsers never send to a
// server; the fragment is removed from the address bar at once.
(function () {
  "use strict";
  var KEY = "registry.token";
  var main = document.getElementById("main");
  var login = document.getElementById("login");
  var reason = document.getElementById("login-reason");
  var status = document.getElementById("status");
  var signout = document.getElementById("signout");
  var shown = null; // path + query of the content on screen
  var loading = 0;

  function takeFragmentToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!m) return;
    try {
      sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    } catch (e) {
      return;
    }
    history.replaceState(null, "", location.pathname + location.search);
  }

  function token() {
    try {
      return sessionStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function showLogin(message) {
    main.hidden = true;
    login.hidden = false;
    signout.hidden = true;
    reason.hidden = !message;
    reason.textContent = message || "";
    document.title = "Sign in · registry";
    document.getElementById("login-title").focus();
  }

  function contentUrl(url) {
    var rest = url.pathname.replace(/^\/ui\/?/, "");
    return "/ui/f/" + rest + url.search;
  }

  function load(url, moveFocus) {
    var t = token();
    if (!t) {
      showLogin("");
      return Promise.resolve();
    }
    var ticket = ++loading;
    shown = url.pathname + url.search;
    status.textContent = "Loading…";
    return fetch(contentUrl(url), {
      headers: { Authorization: "Bearer " + t, Accept: "text/html" },
      credentials: "omit",
      cache: "no-store",
    })
      .then(function (res) {
        return res.text().then(function (body) {
          var type = res.headers.get("Content-Type") || "";
          return { status: res.status, body: body, html: type.indexOf("text/html") === 0 };
        });
      })
      .then(function (answer) {
        if (ticket !== loading) return; // a later navigation won
        if (answer.status === 401) {
          sessionStorage.removeItem(KEY);
          var doc = new DOMParser().parseFromString(answer.body, "text/html");
          var problem = doc.querySelector(".problem");
          showLogin(problem ? problem.textContent : "The registry refused the token.");
          status.textContent = "";
          return;
        }
        login.hidden = true;
        main.hidden = false;
        if (!answer.html) {
          // Not one of the UI's pages (a refusal of the request itself): shown as text only.
          main.textContent = "The registry refused this request (" + answer.status + ").";
          status.textContent = "";
          return;
        }
        signout.hidden = false;
        // The server rendered and escaped this content; scripts in it would not run (CSP).
        main.innerHTML = answer.body;
        var page = main.querySelector("[data-title]");
        document.title = (page ? page.getAttribute("data-title") : "registry") + " · registry";
        status.textContent = "";
        if (url.hash) {
          var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
          if (target) target.scrollIntoView();
        } else if (moveFocus) {
          var heading = main.querySelector("h1");
          (heading || main).focus();
        }
        performance.mark("ui:rendered");
        document.documentElement.setAttribute("data-ui-ready", (performance.timeOrigin + performance.now()).toFixed(3));
      })
      .catch(function () {
        if (ticket !== loading) return;
        status.textContent = "The registry did not answer; try again.";
      });
  }

  function navigate(url) {
    history.pushState(null, "", url.pathname + url.search + url.hash);
    return load(url, true);
  }

  function ours(url) {
    return (
      url.origin === location.origin &&
      url.pathname.indexOf("/ui/") === 0 &&
      url.pathname.indexOf("/ui/static/") !== 0
    );
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
    var url = new URL(link.href, location.href);
    if (!ours(url)) return;
    if (url.pathname + url.search === shown && url.hash) return; // a place on this page
    event.preventDefault();
    navigate(url);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    event.preventDefault();
    if (form.id === "login-form") {
      var value = form.elements.token.value.trim();
      if (!value) return;
      sessionStorage.setItem(KEY, value);
      form.reset();
      load(new URL(location.href), true);
      return;
    }
    var url = new URL(form.getAttribute("action") || location.pathname, location.href);
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") query.append(name, value);
    });
    url.search = query.toString();
    if (ours(url)) navigate(url);
  });

  window.addEventListener("popstate", function () {
    var url = new URL(location.href);
    if (url.pathname + url.search !== shown) load(url, false);
  });

  window.addEventListener("hashchange", function () {
    if (/(?:^#|&)token=/.test(location.hash)) {
      takeFragmentToken();
      load(new URL(location.href), true);
    }
  });

  signout.addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    main.innerHTML = "";
    showLogin("Signed out.");
  });

  takeFragmentToken();
  load(new URL(location.href), false);
})();
