; Guardline NSIS additions (electron-builder `nsis.include`).
;
; Start with the OS session: an installer page (after the folder page) offers to start
; Guardline in the notification area whenever anyone signs in, with `--hidden`, so line
; monitoring and alarms run on a guard-room workstation without anyone opening it. The
; box is ticked by default. Silent installs (/S) decide with /AUTOSTART=1 or /AUTOSTART=0;
; without it they leave the setting as it was. Updates skip the page and keep the setting
; (electron-builder's `isUpdated`, where it defines it). The value lives under SHCTX, which
; is HKLM for this per-machine install, and is removed by a real uninstall. The app reads
; `--hidden` in src-main/electron/lifecycle.ts.
;
; Only the installer build defines the page and the install step; electron-builder also
; compiles this file for the uninstaller (BUILD_UNINSTALLER), with warnings as errors.

!define GUARDLINE_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

!ifndef BUILD_UNINSTALLER
  !include nsDialogs.nsh
  !include LogicLib.nsh
  !include FileFunc.nsh

  Var GuardlineAutostart
  Var GuardlineAutostartBox
  ; "1" once the person answered the page (or a silent install passed /AUTOSTART=).
  Var GuardlineAutostartAsked

  !macro customPageAfterChangeDir
    Page custom GuardlineAutostartPage GuardlineAutostartLeave
  !macroend

  Function GuardlineAutostartPage
    !ifdef isUpdated
      ${If} ${isUpdated}
        Abort
      ${EndIf}
    !endif
    nsDialogs::Create 1018
    Pop $0
    ${NSD_CreateLabel} 0 0 100% 40u "Guardline kan starta i meddelandefältet när någon loggar in på datorn, så att linjeövervakning och larm är igång utan att någon öppnar programmet.$\r$\nGuardline can start in the notification area whenever someone signs in, so line monitoring and alarms run without anyone opening it."
    Pop $0
    ${NSD_CreateCheckbox} 0 48u 100% 12u "Starta Guardline vid inloggning / Start Guardline at sign-in"
    Pop $GuardlineAutostartBox
    ${NSD_Check} $GuardlineAutostartBox
    nsDialogs::Show
  FunctionEnd

  Function GuardlineAutostartLeave
    ${NSD_GetState} $GuardlineAutostartBox $GuardlineAutostart
    StrCpy $GuardlineAutostartAsked "1"
  FunctionEnd

  !macro customInstall
    ${If} ${Silent}
      ${GetParameters} $R0
      ClearErrors
      ${GetOptions} $R0 "/AUTOSTART=" $R1
      ${IfNot} ${Errors}
        StrCpy $GuardlineAutostartAsked "1"
        ${If} $R1 == "1"
          StrCpy $GuardlineAutostart ${BST_CHECKED}
        ${Else}
          StrCpy $GuardlineAutostart ${BST_UNCHECKED}
        ${EndIf}
      ${EndIf}
    ${EndIf}
    ${If} $GuardlineAutostartAsked == "1"
      ${If} $GuardlineAutostart == ${BST_CHECKED}
        WriteRegStr SHCTX "${GUARDLINE_RUN_KEY}" "${APP_ID}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" --hidden'
      ${Else}
        DeleteRegValue SHCTX "${GUARDLINE_RUN_KEY}" "${APP_ID}"
      ${EndIf}
    ${EndIf}
  !macroend
!endif

!macro customUnInstall
  ; An update runs the old uninstaller first: keep the setting for the new version.
  !ifdef isUpdated
    ${IfNot} ${isUpdated}
      DeleteRegValue SHCTX "${GUARDLINE_RUN_KEY}" "${APP_ID}"
    ${EndIf}
  !else
    DeleteRegValue SHCTX "${GUARDLINE_RUN_KEY}" "${APP_ID}"
  !endif
!macroend
