; Extra steps for the NSIS installer (electron-builder `nsis.include`).
; `XieTong-Setup.exe /S /DEPLOYMENT=\\server\share\deployment.json` installs silently and copies the
; administrator's deployment.json to %ProgramData%\XieTong\, where the app reads it at start.
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DEPLOYMENT=" $R1
  ${IfNot} ${Errors}
    ${If} ${FileExists} "$R1"
      SetShellVarContext all
      CreateDirectory "$APPDATA\XieTong"
      CopyFiles /SILENT "$R1" "$APPDATA\XieTong\deployment.json"
    ${Else}
      DetailPrint "deployment.json not found: $R1"
    ${EndIf}
  ${EndIf}
!macroend
