import type { Page } from 'playwright-core'

/** Signs in through the form, as a person would, and waits for the signed-in frame. */
export async function signIn(page: Page, name: string, password: string): Promise<void> {
  // Each test starts signed out, whoever used the browser before.
  await page.context().clearCookies()
  await page.goto('/')
  await page.getByLabel(/User name|用户名/).fill(name)
  await page.getByLabel(/^(Password|密码)$/).fill(password)
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click()
  await page.getByRole('button', { name: /^(Sign out|退出登录)$/ }).waitFor()
}
