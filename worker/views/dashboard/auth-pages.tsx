import { Field, type FormErrors, FormProblem } from './form';
import { DashboardLayout } from './layout';

export function SignInPage(props: { email?: string | undefined; errors?: FormErrors | undefined }) {
  return (
    <DashboardLayout title="Sign in">
      <h1>Sign in or create an account</h1>
      <p>We email you a link that signs you in. No password needed.</p>
      <FormProblem errors={props.errors} />
      <form method="post" action="/dashboard/sign-in" class="card" novalidate>
        <Field
          name="email"
          label="Email address"
          type="email"
          autocomplete="email"
          value={props.email}
          errors={props.errors}
          required
        />
        <p>
          <button type="submit">Email me a link</button>
        </p>
      </form>
    </DashboardLayout>
  );
}

/** The same page whether or not the address has an account. */
export function CheckEmailPage() {
  return (
    <DashboardLayout title="Check your email">
      <h1>Check your email</h1>
      <p>
        If the address can sign in or sign up here, a link is on its way. It works once and expires
        in 15 minutes.
      </p>
      <p>
        <a href="/dashboard/sign-in">Use another address</a>
      </p>
    </DashboardLayout>
  );
}

/** The link's landing: a button, so mail scanners that open links do not use them up. */
export function ConfirmLinkPage(props: { token: string }) {
  return (
    <DashboardLayout title="Continue to Tessera">
      <h1>Continue to Tessera</h1>
      <form method="post" action="/dashboard/auth" class="card">
        <input type="hidden" name="token" value={props.token} />
        <p>Press the button to finish signing in on this device.</p>
        <button type="submit">Continue</button>
      </form>
    </DashboardLayout>
  );
}

export function MessagePage(props: {
  title: string;
  message: string;
  link?: [string, string] | undefined;
}) {
  return (
    <DashboardLayout title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.link ? (
        <p>
          <a class="btn" href={props.link[0]}>
            {props.link[1]}
          </a>
        </p>
      ) : null}
    </DashboardLayout>
  );
}

export const LinkInvalidPage = () => (
  <MessagePage
    title="This link does not work anymore"
    message="Sign-in links work once and for 15 minutes. Ask for a new one."
    link={['/dashboard/sign-in', 'Get a new link']}
  />
);
