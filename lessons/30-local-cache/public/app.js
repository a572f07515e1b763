// The page's one script: plain JavaScript that the browser runs as it is (no build step).
// It talks to the API on the server that sent this page, so every fetch names a path such as
// '/todos': same origin, so no CORS, and the browser sends the refresh cookie to /auth/….

// ---------------------------------------------------------------------------------------------
// 1. Talking to the API
// ---------------------------------------------------------------------------------------------

// The access token lives in this variable, in memory only: never in localStorage, where every
// script on the page (an injected one too) could read it, and where it would outlive the tab.
// A reload forgets it; the httpOnly refresh cookie, which no script can read, gets a new one.
let accessToken = null

// The refresh under way, if there is one. Requests that fail together share it: a refresh token
// works once, and a second use with the same cookie would look like theft (lesson 20).
let refreshing = null

/** The API said no. `body` is its one error shape: { statusCode, code, error, message }. */
class ApiError extends Error {
  constructor(body) {
    super(body.message)
    this.statusCode = body.statusCode
    this.code = body.code
  }
}

/**
 * Send a request to the API and return its JSON answer (null for 204 No Content), or throw an
 * ApiError. A 401 from a signed-in route means the access token has expired (they last 15
 * minutes): trade the refresh cookie for a new one, once, and send the request again.
 */
async function api(method, path, body) {
  let res = await send(method, path, body)
  if (res.status === 401 && !path.startsWith('/auth/')) {
    const refused = await refresh()
    if (refused) throw refused // the refresh failed too: the session is over
    res = await send(method, path, body)
  }
  if (res.status === 204) return null
  const answer = await res.json()
  if (!res.ok) throw new ApiError(answer)
  return answer
}

/** One fetch, with the access token (when we have one) and the body as JSON. */
function send(method, path, body) {
  const headers = {}
  if (accessToken) headers.authorization = `Bearer ${accessToken}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const json = body === undefined ? undefined : JSON.stringify(body)
  // Helmet's `Referrer-Policy: no-referrer` lets a browser send `Origin: null` with a POST;
  // 'same-origin' makes every browser name this page's origin, as lesson 21's check wants.
  return fetch(path, { method, headers, body: json, referrerPolicy: 'same-origin' })
}

/**
 * POST /auth/refresh: the browser sends the refresh cookie by itself (we never see it), and we
 * keep the new access token. Resolves to nothing when it worked, or to the API's refusal.
 */
function refresh() {
  refreshing ??= send('POST', '/auth/refresh')
    .then(async (res) => {
      const answer = await res.json()
      accessToken = res.ok ? answer.accessToken : null
      return res.ok ? undefined : new ApiError(answer)
    })
    .finally(() => {
      refreshing = null
    })
  return refreshing
}

/**
 * Show an API error in a form. A validation error's message starts with where the problem is,
 * such as "body/password must NOT have fewer than 12 characters": that goes beside the
 * password field. Any other error goes at the bottom of the form.
 */
function showError(form, error) {
  const field = /^body\/(\w+) /.exec(error.message)?.[1]
  const beside = field && form.querySelector(`.field-error[data-field="${field}"]`)
  if (error.code === 'VALIDATION_FAILED' && beside) {
    beside.textContent = error.message.replace('body/', '') // "password must NOT have …"
  } else {
    form.querySelector('.form-error').textContent = error.message
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The page
// ---------------------------------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector)

/** Show the signed-in part or the signed-out part (and a message in the log-in form). */
function show(signedIn, message = '') {
  $('#signed-in').hidden = !signedIn
  $('#signed-out').hidden = signedIn
  $('#login .form-error').textContent = message
}

/** Run what a form (or a button in `place`) does, after clearing old errors; show what fails. */
async function attempt(place, action) {
  for (const old of place.querySelectorAll('.field-error, .form-error')) old.textContent = ''
  try {
    await action()
  } catch (error) {
    // A 401 in the signed-in part means even the refresh failed: the session is over.
    if (error.statusCode === 401 && place.closest('#signed-in')) show(false, error.message)
    else showError(place, error) // or "Failed to fetch", when the server cannot be reached
  }
}

/** Fetch who is signed in and their to-dos, and show them. */
async function showTodos() {
  const me = await api('GET', '/me')
  const todos = await api('GET', '/todos')
  $('#email').textContent = me.email
  $('#todos').replaceChildren(...todos.map(todoItem))
  $('#nothing-to-do').hidden = todos.length > 0
  show(true)
}

/** One to-do as a list item: a checkbox to tick it, its title, and a delete button. */
function todoItem(todo) {
  const item = document.createElement('li')
  item.classList.toggle('done', todo.done)

  const box = document.createElement('input')
  box.type = 'checkbox'
  box.checked = todo.done
  const title = document.createElement('span')
  // textContent, never innerHTML: a title is text, even one that looks like <script>.
  title.textContent = todo.title
  const label = document.createElement('label')
  label.append(box, title)

  const remove = document.createElement('button')
  remove.type = 'button'
  remove.className = 'quiet'
  remove.textContent = 'Delete'
  remove.setAttribute('aria-label', `Delete "${todo.title}"`)

  box.addEventListener('change', () =>
    attempt($('#list'), async () => {
      const changed = await api('PATCH', `/todos/${todo.id}`, { done: box.checked })
      item.replaceWith(todoItem(changed))
    }),
  )
  remove.addEventListener('click', () =>
    attempt($('#list'), async () => {
      await api('DELETE', `/todos/${todo.id}`)
      item.remove()
      $('#nothing-to-do').hidden = $('#todos').children.length > 0
    }),
  )
  item.append(label, remove)
  return item
}

/** A form's fields as an object: { email: '…', password: '…' }. */
const fields = (form) => Object.fromEntries(new FormData(form))

$('#signup').addEventListener('submit', (event) => {
  event.preventDefault() // handle it here, instead of the browser loading another page
  const form = event.target
  form.querySelector('.form-note').textContent = ''
  attempt(form, async () => {
    const user = await api('POST', '/auth/signup', fields(form))
    form.reset()
    form.querySelector('.form-note').textContent = `Welcome, ${user.email}: now log in.`
    $('#login-email').value = user.email
    $('#login-password').focus()
  })
})

$('#login').addEventListener('submit', (event) => {
  event.preventDefault()
  const form = event.target
  attempt(form, async () => {
    const tokens = await api('POST', '/auth/login', fields(form))
    accessToken = tokens.accessToken // in memory; the refresh cookie came with the answer
    form.reset()
    await showTodos()
  })
})

$('#new-todo').addEventListener('submit', (event) => {
  event.preventDefault()
  const form = event.target
  attempt(form, async () => {
    const todo = await api('POST', '/todos', fields(form))
    $('#todos').append(todoItem(todo))
    $('#nothing-to-do').hidden = true
    form.reset()
  })
})

$('#logout').addEventListener('click', () =>
  attempt($('#signed-in'), async () => {
    await api('POST', '/auth/logout') // revokes the refresh token and clears its cookie
    accessToken = null
    show(false)
  }),
)

// On load the access token is gone (it lived in memory), but the refresh cookie may still be
// there: try it, so that a reload stays signed in. Without a cookie the answer is a 401, and
// the page shows the forms.
if (await refresh()) show(false)
else await attempt($('#signed-in'), showTodos)
