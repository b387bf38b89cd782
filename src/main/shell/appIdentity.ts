/** The app's identity as installers and the OS know it; must equal `appId` in electron-builder.yml (a test checks). */
export const APP_ID = 'cn.gov.xietong.desktop';
export const PRODUCT_NAME = '协同办公';
