/**
 * The browser side of the Stripe stand-in (served as `/stripe.js`): `window.Stripe` with the
 * subset Tessera's pay bundle uses. `__STAND_IN_ORIGIN__` becomes the stand-in's origin.
 * Plain ES2017 text, no build step; styles are set through the CSSOM, which a page's CSP
 * without `'unsafe-inline'` still allows.
 */
export const STAND_IN_STRIPE_JS = `(function () {
  var API = __STAND_IN_ORIGIN__;
  function post(path, body) {
    return fetch(API + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }
  function challenge(res) {
    // 3-D Secure inside the page (what Stripe.js does for cards with redirect: 'if_required').
    return new Promise(function (resolve) {
      var box = document.createElement('div');
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', '3-D Secure');
      box.style.position = 'fixed'; box.style.inset = '0'; box.style.background = 'rgba(0,0,0,.5)';
      box.style.zIndex = '2147483647'; box.style.display = 'grid'; box.style.placeItems = 'center';
      var button = document.createElement('button');
      button.textContent = 'Complete authentication';
      button.style.padding = '1rem'; button.style.fontSize = '1rem';
      button.onclick = function () {
        var url = new URL(res.redirectUrl);
        post(url.pathname + '/complete', {}).then(function (done) {
          box.remove();
          resolve({ paymentIntent: { id: done.id, status: done.status } });
        });
      };
      box.appendChild(button);
      document.body.appendChild(box);
    });
  }
  function Stripe(publishableKey) {
    if (!/^pk_test_/.test(publishableKey)) throw new Error('stand-in: test keys only');
    return {
      elements: function (options) {
        var state = { clientSecret: options.clientSecret, input: null };
        return {
          _state: state,
          create: function (type) {
            if (type !== 'payment') throw new Error('stand-in: only the payment element');
            var wrapper;
            return {
              mount: function (target) {
                var host = typeof target === 'string' ? document.querySelector(target) : target;
                wrapper = document.createElement('label');
                wrapper.textContent = 'Card number ';
                wrapper.style.display = 'block';
                var input = document.createElement('input');
                input.name = 'cardnumber';
                input.setAttribute('autocomplete', 'cc-number');
                input.setAttribute('inputmode', 'numeric');
                wrapper.appendChild(input);
                host.appendChild(wrapper);
                state.input = input;
              },
              destroy: function () { if (wrapper) wrapper.remove(); },
              on: function () {},
            };
          },
        };
      },
      confirmPayment: function (options) {
        var state = options.elements._state;
        var card = state.input ? state.input.value.replace(/\\s+/g, '') : '';
        var returnUrl = options.confirmParams && options.confirmParams.return_url;
        return post('/confirm', { clientSecret: state.clientSecret, card: card, returnUrl: returnUrl }).then(function (res) {
          if (res.error) return { error: res.error };
          if (res.status === 'requires_action') {
            if (options.redirect === 'if_required' && !res.leavesPage) return challenge(res);
            window.location.assign(res.redirectUrl);
            return new Promise(function () {});
          }
          if (options.redirect === 'if_required') return { paymentIntent: { id: res.id, status: res.status } };
          window.location.assign(res.returnUrl);
          return new Promise(function () {});
        });
      },
    };
  }
  Stripe.version = 'endive';
  window.Stripe = Stripe;
})();
`;
